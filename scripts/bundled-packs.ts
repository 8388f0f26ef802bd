/**
 * The bundled rule packs as Node reads them (the build config, the checks, the end-to-end tests).
 * Extension code reads the same files through the bundler instead: utils/bundled-rules.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..');
export const PLATFORM_DIR = 'rules/platforms';

/** One file of rules/platforms: its repository path, the platform id its name gives, its JSON. */
export type BundledPackFile = { file: string; id: string } & ({ raw: unknown } | { error: string });

/** Every rules/platforms/<id>.json, sorted by name; a file that is not JSON says why. */
export function readBundledPackFiles(): BundledPackFile[] {
  return readdirSync(join(root, PLATFORM_DIR))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = `${PLATFORM_DIR}/${name}`;
      const id = basename(name, '.json');
      try {
        return { file, id, raw: JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown };
      } catch (error) {
        return { file, id, error: `not valid JSON: ${(error as Error).message}` };
      }
    });
}

/** The packs' JSON, unvalidated (`npm run rules:check` validates them); throws on a file that is not JSON. */
export function readBundledPacks<T = unknown>(): T[] {
  return readBundledPackFiles().map((f) => {
    if ('error' in f) throw new Error(`${f.file}: ${f.error}`);
    return f.raw as T;
  });
}
