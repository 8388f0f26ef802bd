/**
 * `npm run check:package`: checks the BUILT extension (run `npm run build && npm run build:firefox`
 * first) the way a store reviewer would, so that a release cannot widen what the extension may do
 * by accident.
 *
 * 1. Manifests (.output/chrome-mv3, .output/firefox-mv2):
 *    - a content-security policy is declared, and its script-src allows nothing but 'self' (no
 *      'unsafe-eval', no 'unsafe-inline', no remote or data: sources);
 *    - host permissions and content-script matches are all among the platforms' hosts, as listed in
 *      rules/platforms/*.json (the same derivation wxt.config.ts uses);
 *    - API permissions are on a short reviewed list (a new one is a decision, not an accident);
 *    - no `externally_connectable` that lets web pages message the extension.
 * 2. `web-ext lint` on the Firefox build: 0 errors, and no warning except Preact's own innerHTML
 *    assignment (its `dangerouslySetInnerHTML` support, which this project never uses; see 3).
 * 3. The source has no HTML sink: no innerHTML/outerHTML/insertAdjacentHTML/document.write,
 *    dangerouslySetInnerHTML, eval or new Function in entrypoints/, components/ or utils/.
 * 4. `npm audit --omit=dev`: no high or critical finding in what ships. A registry that cannot be
 *    reached is a warning, not a failure (the other checks still decide).
 * 5. Bundle budgets (scripts/bundle-budget.ts): every content script at most 48 kB (a warning
 *    above the 40 kB target) and free of zod, background.js at most 200 kB, in both builds.
 *
 * Prints what it saw (permissions, CSP, lint messages) and exits 1 with one line per problem.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hostsToMatchPatterns } from '../lib/hosts';
import { readBundledPacks } from './bundled-packs';
import { bundleBudgetProblems, bundleBudgetWarnings, bundleSizes } from './bundle-budget';

const root = join(import.meta.dirname, '..');
const problems: string[] = [];
const warnings: string[] = [];
const say = (line = '') => console.log(line);

/** API permissions the extension may ask for, and why. Anything else fails the check. */
const ALLOWED_PERMISSIONS: Record<string, string> = {
  storage: 'settings, per-tab state, user rule packs',
  unlimitedStorage: 'the opt-in research log (IndexedDB)',
  activeTab: 'the seller report screenshot of the current tab, on a click',
  scripting: "the highlights script, injected into a platform page's frame when its content script asks",
  alarms: 'timers that survive the service worker stopping',
};

// ---------------------------------------------------------------------------------------------
// 1. Manifests
// ---------------------------------------------------------------------------------------------

const allowedHostPatterns = new Set(hostsToMatchPatterns(readBundledPacks<{ platforms?: { hosts: string[] }[] }>()));

const isHostPattern = (p: string) => p === '<all_urls>' || p.includes('://');

/** The script-src directive of a CSP string ('' when it has none). */
function scriptSrc(csp: string): string {
  return (
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => /^script-src(\s|$)/.test(d)) ?? ''
  );
}

function checkCsp(build: string, csp: unknown): void {
  const policies: [string, string][] = [];
  if (typeof csp === 'string') policies.push(['content_security_policy', csp]);
  else if (csp && typeof csp === 'object')
    for (const [k, v] of Object.entries(csp))
      if (typeof v === 'string') policies.push([`content_security_policy.${k}`, v]);
  if (policies.length === 0)
    problems.push(`${build}: no content_security_policy declared (the browser default may allow more than 'self')`);
  for (const [where, policy] of policies) {
    say(`  ${where}: ${policy}`);
    if (/'unsafe-eval'/.test(policy)) problems.push(`${build}: ${where} allows 'unsafe-eval'`);
    const script = scriptSrc(policy);
    if (!script) {
      if (where.endsWith('sandbox')) continue;
      problems.push(`${build}: ${where} has no script-src directive`);
      continue;
    }
    for (const source of script.split(/\s+/).slice(1)) {
      if (source !== "'self'") problems.push(`${build}: ${where} script-src allows ${source}; only 'self' is expected`);
    }
  }
}

function checkManifest(build: string): void {
  const file = join(root, '.output', build, 'manifest.json');
  if (!existsSync(file)) {
    problems.push(`.output/${build}/manifest.json is missing: run "npm run build" and "npm run build:firefox" first`);
    return;
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  say(`${build} (manifest v${manifest.manifest_version}, version ${manifest.version})`);
  checkCsp(build, manifest.content_security_policy);

  const permissions = (manifest.permissions as string[] | undefined) ?? [];
  const optional = (manifest.optional_permissions as string[] | undefined) ?? [];
  const api = [...permissions, ...optional].filter((p) => !isHostPattern(p));
  const hosts = [
    ...permissions.filter(isHostPattern),
    ...optional.filter(isHostPattern),
    ...((manifest.host_permissions as string[] | undefined) ?? []),
    ...((manifest.optional_host_permissions as string[] | undefined) ?? []),
  ];
  const scriptMatches = ((manifest.content_scripts as { matches?: string[] }[] | undefined) ?? []).flatMap(
    (c) => c.matches ?? [],
  );
  say(`  API permissions: ${api.join(', ') || '(none)'}`);
  say(`  host permissions (${hosts.length}): ${hosts.join(' ') || '(none)'}`);
  for (const p of api) {
    if (!(p in ALLOWED_PERMISSIONS))
      problems.push(`${build}: permission "${p}" is not on the reviewed list in scripts/package-check.ts`);
  }
  for (const p of new Set([...hosts, ...scriptMatches])) {
    if (!allowedHostPatterns.has(p))
      problems.push(`${build}: "${p}" is wider than the platforms' hosts (rules/platforms/*.json)`);
  }
  const external = manifest.externally_connectable as { matches?: string[] } | undefined;
  if (external?.matches?.length)
    problems.push(
      `${build}: externally_connectable lets web pages message the extension: ${external.matches.join(' ')}`,
    );
  const war = (manifest.web_accessible_resources as unknown[] | undefined) ?? [];
  if (war.length) say(`  web_accessible_resources: ${JSON.stringify(war)}`);
}

say('== Manifests');
checkManifest('chrome-mv3');
checkManifest('firefox-mv2');
say(`  allowed host patterns (from rules/platforms): ${allowedHostPatterns.size}`);
say(
  '  reviewed API permissions: ' +
    Object.entries(ALLOWED_PERMISSIONS)
      .map(([p, why]) => `${p} (${why})`)
      .join('; '),
);

// ---------------------------------------------------------------------------------------------
// 2. web-ext lint on the Firefox build
// ---------------------------------------------------------------------------------------------

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Preact's diff assigns `dangerouslySetInnerHTML.__html` to innerHTML; nothing of ours does. */
function isPreactInnerHtml(dir: string, m: LintMessage): boolean {
  if (m.code !== 'UNSAFE_VAR_ASSIGNMENT' || !m.file || !/innerHTML/.test(m.message)) return false;
  let lines: string[];
  try {
    lines = readFileSync(join(dir, m.file), 'utf8').split('\n');
  } catch {
    return false;
  }
  const line = lines[(m.line ?? 1) - 1] ?? '';
  const at = Math.max(0, (m.column ?? 1) - 1);
  const before = line.slice(Math.max(0, at - 600), at + 1);
  const statement = line.slice(Math.max(0, at - 40), at + 60);
  return before.includes('dangerouslySetInnerHTML') && /\.innerHTML\s*=\s*[\w$]+\.__html/.test(statement);
}

say('\n== web-ext lint (.output/firefox-mv2)');
const firefoxDir = join(root, '.output/firefox-mv2');
if (existsSync(firefoxDir)) {
  const lint = spawnSync('web-ext', ['lint', '--source-dir', firefoxDir, '--output', 'json', '--no-config-discovery'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  let report: { errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] } | null = null;
  try {
    report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
  } catch {
    problems.push(
      `web-ext lint did not give a JSON report (exit ${lint.status}): ${(lint.stderr || lint.stdout || String(lint.error)).slice(0, 500)}`,
    );
  }
  if (report) {
    say(`  errors: ${report.errors.length}, warnings: ${report.warnings.length}, notices: ${report.notices.length}`);
    for (const m of report.errors) {
      say(`  error   ${m.code} ${m.file ?? ''}:${m.line ?? ''} ${m.message}`);
      problems.push(`web-ext lint error ${m.code} in ${m.file ?? 'manifest'}: ${m.message}`);
    }
    for (const m of report.warnings) {
      const preact = isPreactInnerHtml(firefoxDir, m);
      say(
        `  warning ${m.code} ${m.file ?? ''}:${m.line ?? ''}:${m.column ?? ''} ${m.message}${preact ? " (Preact's own innerHTML support: allowed)" : ''}`,
      );
      if (!preact) problems.push(`web-ext lint warning ${m.code} in ${m.file ?? 'manifest'}: ${m.message}`);
    }
    for (const m of report.notices) say(`  notice  ${m.code} ${m.file ?? ''} ${m.message}`);
  }
} else {
  problems.push('.output/firefox-mv2 is missing: run "npm run build:firefox" first');
}

// ---------------------------------------------------------------------------------------------
// Bundle budgets: content scripts and the background script (scripts/bundle-budget.ts)
// ---------------------------------------------------------------------------------------------

say('\n== Bundle sizes');
for (const build of ['chrome-mv3', 'firefox-mv2']) {
  const dir = join(root, '.output', build);
  if (!existsSync(dir)) continue; // reported with the manifests
  const sizes = bundleSizes(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  say(`  ${build}: background.js ${sizes.background === null ? 'missing' : kb(sizes.background)}`);
  say(
    `  ${build}: ${sizes.contentScripts.map((c) => `${c.file.replace('content-scripts/', '')} ${kb(c.bytes)}`).join(', ')}`,
  );
  problems.push(...bundleBudgetProblems(dir, build));
  warnings.push(...bundleBudgetWarnings(dir, build));
}

// ---------------------------------------------------------------------------------------------
// 3. No HTML sinks in the source
// ---------------------------------------------------------------------------------------------

say('\n== HTML sinks in entrypoints/, components/, utils/');
const SINK =
  /\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write(ln)?)\b|\beval\s*\(|\bnew\s+Function\s*\(/;
let scanned = 0;
function scan(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) scan(path);
    else if (/\.(ts|tsx|js|jsx|html)$/.test(name)) {
      scanned++;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
          if (SINK.test(code))
            problems.push(`${relative(root, path)}:${i + 1}: HTML or code sink: ${line.trim().slice(0, 120)}`);
        });
    }
  }
}
for (const dir of ['entrypoints', 'components', 'utils']) scan(join(root, dir));
say(`  files scanned: ${scanned}`);

// ---------------------------------------------------------------------------------------------
// 4. npm audit on what ships
// ---------------------------------------------------------------------------------------------

say('\n== npm audit --omit=dev');
const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
  cwd: root,
  encoding: 'utf8',
  timeout: 120_000,
  maxBuffer: 64 * 1024 * 1024,
});
type AuditReport = {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string }>;
  /** npm's shape when the audit endpoint answered with an HTTP error. */
  statusCode?: number;
  message?: string;
  error?: { code?: string; summary?: string; detail?: string };
};
let auditReport: AuditReport | null;
try {
  auditReport = JSON.parse(audit.stdout) as AuditReport;
} catch {
  auditReport = null;
}
const NETWORK =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EPROTO|network|request to .* failed|socket hang up|audit endpoint/i;
const stderrTail = (audit.stderr ?? '')
  .split('\n')
  .filter((l) => l && !/Unknown user config/.test(l))
  .slice(-3)
  .join(' | ');
if (auditReport?.metadata?.vulnerabilities) {
  const counts = auditReport.metadata.vulnerabilities;
  say(
    `  ${Object.entries(counts)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  for (const [name, v] of Object.entries(auditReport.vulnerabilities ?? {})) {
    say(`  ${v.severity.padEnd(8)} ${name}`);
    if (v.severity === 'high' || v.severity === 'critical')
      problems.push(`npm audit: ${v.severity} vulnerability in ${name} (a runtime dependency)`);
  }
} else {
  // No report. The registry (or the network) not serving the audit endpoint is not a finding in
  // the code: warn loudly that nothing was audited. Anything else (no lockfile, …) is a failure.
  const why = [
    audit.error ? String(audit.error) : '',
    auditReport?.message ?? '',
    auditReport?.error?.code ?? '',
    auditReport?.error?.summary ?? '',
    stderrTail,
  ]
    .filter(Boolean)
    .join(' ')
    .slice(0, 400);
  if (audit.error || typeof auditReport?.statusCode === 'number' || NETWORK.test(why)) {
    warnings.push(
      `npm audit could not get an answer from the registry's audit service, so runtime dependencies were NOT audited: ${why}`,
    );
  } else {
    problems.push(`npm audit failed: ${why || `exit ${audit.status}`}`);
  }
}

// ---------------------------------------------------------------------------------------------

say('');
for (const w of warnings) say(`WARNING ${w}`);
if (problems.length) {
  for (const p of problems) console.error(`FAIL ${p}`);
  console.error(`\npackage check: ${problems.length} problem(s)`);
  process.exit(1);
}
say(`package check: ok${warnings.length ? ` (${warnings.length} warning(s))` : ''}`);
