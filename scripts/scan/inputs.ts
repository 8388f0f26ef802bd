/**
 * Inputs of a scan: files and directories named on the command line or listed one per line in a
 * file (or standard input, for a pipe stage of a batch system), expanded to the archives and
 * saved pages they hold, and split into shards.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isWacz, isWarc } from './archive';

export type InputKind = 'warc' | 'wacz' | 'html';

export interface Input {
  path: string;
  kind: InputKind;
  size: number;
}

export function kindOf(path: string): InputKind | null {
  if (isWacz(path)) return 'wacz';
  if (isWarc(path)) return 'warc';
  if (/\.html?$/i.test(path)) return 'html';
  return null;
}

/** Paths listed one per line; blank lines and `#` comments are ignored. */
export function readPathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function readInputsFrom(source: string): string[] {
  return readPathList(readFileSync(source === '-' ? 0 : source, 'utf8'));
}

/**
 * Every scannable file under the given paths, each once, in a stable order (directories sorted
 * by name) so that shards and resumed runs see the same list. Unknown paths are reported.
 */
export function expandInputs(paths: readonly string[]): { inputs: Input[]; problems: string[] } {
  const inputs: Input[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    let info;
    try {
      info = statSync(path);
    } catch {
      problems.push(`${path}: no such file or directory`);
      return;
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name), false);
      return;
    }
    const kind = kindOf(path);
    if (!kind) {
      if (explicit) problems.push(`${path}: not a .warc, .warc.gz, .wacz or .html file`);
      return;
    }
    if (seen.has(path)) return;
    seen.add(path);
    inputs.push({ path, kind, size: info.size });
  };
  for (const path of paths) add(path, true);
  return { inputs, problems };
}

export interface Shard {
  index: number;
  count: number;
  /** `file`: whole inputs go to one shard; `capture`: every shard reads every input, keeps its captures. */
  by: 'file' | 'capture';
}

export function parseShard(text: string, by: Shard['by']): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new Error(`--shard: expected I/N (for example 0/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`--shard: I must be from 0 to N-1 (got ${text})`);
  return { index, count, by };
}

/**
 * The shard a key belongs to: a hash of the key, so the split depends only on the key, not on
 * the order or the number of other inputs, and every key lands in exactly one shard.
 */
export function shardOf(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}
