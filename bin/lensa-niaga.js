#!/usr/bin/env node
// `npx lensa-niaga scan …` from a checkout: starts the TypeScript CLI with the project's own tsx
// (and the Node version the project pins, found first on PATH under npm and npx).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);
if (command !== 'scan') {
  process.stderr.write('usage: lensa-niaga scan <inputs…> [options]   (lensa-niaga scan --help)\n');
  process.exit(2);
}
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const result = spawnSync(tsx, [join(root, 'scripts', 'scan', 'index.ts'), ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
