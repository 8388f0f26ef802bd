/**
 * `npm run scan -- <inputs…> [options]` (or `npx lensa-niaga scan …`): runs the extension's rules
 * over web archives (WARC, WARC.gz, WACZ) and saved pages, and writes one research-log record per
 * detected feature per page capture. See the README, "Scanning archives".
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { URL_MODES, type UrlMode } from '../../utils/research-log/types';
import { DOM_LIBRARIES, type DomLibrary } from './dom-engine';
import { expandInputs, parseShard, readInputsFrom } from './inputs';
import { ENGINES, FORMATS, type EngineName, type Format } from './records';
import { formatSummary, runScan } from './run';

const USAGE = `usage: npm run scan -- <file|dir…> [options]

inputs: .warc, .warc.gz, .wacz, .html files and directories of them
  --inputs-from FILE|-    read more input paths, one per line (- is standard input)
  --url URL               the address of saved .html inputs that do not name their own
options:
  --engine browser|dom    browser: replay in Chromium with the built extension (default);
                          dom: the same rules on a parsed DOM in Node (faster, no page scripts)
  --dom linkedom|happy-dom  the DOM of --engine dom (default linkedom)
  --pack FILE             also run this rule pack (repeatable; checked as the extension checks imports)
  --out FILE              write to FILE (default: standard output)
  --format ndjson|csv     (default: ndjson, or csv when --out ends in .csv)
  --url-mode path|full    keep only scheme, host and path of page URLs (default), or the full URL
  --jobs N                pages at once (default: CPU cores)
  --shard I/N             scan shard I of N (0-based); with --shard-by file (default) whole inputs
                          are split, with --shard-by capture every shard reads every input
  --resume                skip captures already in --out (after a killed or partial run)
  --quiet                 no progress and no summary
`;

function fail(message: string): never {
  process.stderr.write(`scan: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) fail(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'inputs-from': { type: 'string', multiple: true },
        url: { type: 'string' },
        engine: { type: 'string', default: 'browser' },
        dom: { type: 'string', default: 'linkedom' },
        pack: { type: 'string', multiple: true },
        out: { type: 'string' },
        format: { type: 'string' },
        'url-mode': { type: 'string', default: 'path' },
        jobs: { type: 'string' },
        shard: { type: 'string' },
        'shard-by': { type: 'string', default: 'file' },
        resume: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  // `npx lensa-niaga scan …` passes the command name along.
  const paths = positionals[0] === 'scan' ? positionals.slice(1) : positionals;
  for (const source of values['inputs-from'] ?? []) paths.push(...readInputsFrom(source));
  if (paths.length === 0) fail('no inputs');
  const { inputs, problems } = expandInputs(paths);
  for (const p of problems) process.stderr.write(`scan: ${p}\n`);
  if (inputs.length === 0) fail('none of the inputs is a .warc, .warc.gz, .wacz or .html file');
  if (values.url !== undefined && !/^https?:\/\//.test(values.url)) fail('--url must be an http(s) URL');
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs must be a whole number ≥ 1');
  if (values.resume && !values.out) fail('--resume needs --out');
  const format: Format = values.format
    ? oneOf('format', values.format, FORMATS)
    : values.out?.toLowerCase().endsWith('.csv')
      ? 'csv'
      : 'ndjson';
  let shard = null;
  try {
    shard = values.shard
      ? parseShard(values.shard, oneOf('shard-by', values['shard-by'], ['file', 'capture'] as const))
      : null;
  } catch (error) {
    fail((error as Error).message);
  }
  const summary = await runScan({
    inputs,
    engine: oneOf<EngineName>('engine', values.engine, ENGINES),
    dom: oneOf<DomLibrary>('dom', values.dom, DOM_LIBRARIES),
    jobs,
    shard,
    format,
    out: values.out ?? null,
    resume: values.resume,
    urlMode: oneOf<UrlMode>('url-mode', values['url-mode'], URL_MODES),
    packFiles: values.pack ?? [],
    url: values.url ?? null,
    log: values.quiet ? null : process.stderr,
  });
  if (!values.quiet) process.stderr.write(formatSummary(summary));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`scan: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
