/**
 * Match patterns for the platforms' hosts, read from the bundled packs' `platforms` lists so a
 * platform's hosts are written once (in `rules/platforms/<id>.json`). `wxt.config.ts` derives the
 * host permissions from the same files.
 */
import { hostsToMatchPatterns } from '../../lib/hosts';

const files = import.meta.glob<{ platforms?: { hosts: string[] }[] }>('../../rules/platforms/*.json', {
  eager: true,
  import: 'default',
});

export const PLATFORM_MATCHES = hostsToMatchPatterns(Object.values(files));
