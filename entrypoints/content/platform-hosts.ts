/**
 * Match patterns for the platforms' hosts, from the bundled packs' `platforms` lists, so a
 * platform's hosts are written once (in `rules/platforms/<id>.json`). `wxt.config.ts` derives the
 * host permissions from the same lists.
 */
import { hostsToMatchPatterns } from '../../lib/hosts';
import { bundledHostLists } from '../../utils/bundled-rules';

export const PLATFORM_MATCHES = hostsToMatchPatterns(bundledHostLists);
