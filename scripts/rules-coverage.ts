/**
 * Provenance and coverage of the bundled rules, for `npm run rules:check`.
 *
 * Problems (rules:check fails on any):
 * - a bundled rule without a source from outside this project (`capture` alone does not count)
 * - a source whose `ref` cannot be found again (not `owner/repo:path#L12` nor an https URL), or
 *   whose `seen` date is not a real date or lies in the future
 * - a source that no fixture of the rule's platform names in its `source:` header line
 *
 * Report: rules by the age of their newest source (oldest first: the ones to look at again), then
 * per platform and feature the rules with their sources and the fixtures that expect them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_IDS, PLATFORM_IDS, type Rule } from '../rules/schema';
import { readFixture, type Fixture } from './fixture-format';

export interface FixtureEntry {
  /** Path relative to the repository root. */
  path: string;
  platform: string;
  fixture: Fixture;
}

export interface CoverageInput {
  rules: { rule: Rule; file: string }[];
  fixtures: FixtureEntry[];
  /** YYYY-MM-DD; sources seen after it are refused and ages count up to it. */
  today: string;
}

/** A line in a public repository (optionally at a commit: owner/repo@abc1234:path#L1), or a page (issue, pull request) by its URL. */
const REPO_LINE_REF = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(@[0-9a-f]{7,40})?:[^\s#:]+#L\d+(-L?\d+)?$/;
const URL_REF = /^https:\/\/\S+$/;

function isRealDate(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every fixture under tests/fixtures/<platform>/ that has a readable header. */
export function collectFixtures(root: string): FixtureEntry[] {
  const out: FixtureEntry[] = [];
  for (const platform of PLATFORM_IDS) {
    const dir = join(root, 'tests/fixtures', platform);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.html'))
      .sort()) {
      const fixture = readFixture(readFileSync(join(dir, name), 'utf8'));
      // rules-check reports a broken header; here it is simply not counted.
      if (!('error' in fixture)) out.push({ path: `tests/fixtures/${platform}/${name}`, platform, fixture });
    }
  }
  return out;
}

export function checkCoverage({ rules, fixtures, today }: CoverageInput): { problems: string[]; report: string[] } {
  const problems: string[] = [];
  const namedByPlatform = new Map<string, Set<string>>();
  for (const { platform, fixture } of fixtures) {
    const set = namedByPlatform.get(platform) ?? new Set<string>();
    for (const ref of fixture.sources) set.add(ref);
    namedByPlatform.set(platform, set);
  }
  for (const { path, fixture } of fixtures)
    for (const ref of fixture.sources)
      if (!REPO_LINE_REF.test(ref) && !URL_REF.test(ref) && !ref.startsWith('capture:'))
        problems.push(`${path}: source "${ref}": write owner/repo:path#L12, an https:// URL or capture:<what>`);

  for (const { rule, file } of rules) {
    const where = `${file}: rule "${rule.id}"`;
    const sources = rule.sources ?? [];
    if (!sources.some((s) => s.kind !== 'capture'))
      problems.push(
        `${where}: needs a source from outside this project (filter-list, userscript, extension, parser or issue)`,
      );
    sources.forEach((source, i) => {
      const at = `${where} $.sources[${i}]`;
      if (!isRealDate(source.seen)) problems.push(`${at}.seen: "${source.seen}" is not a date`);
      else if (source.seen > today) problems.push(`${at}.seen: ${source.seen} is after today (${today})`);
      if (source.kind === 'capture') return;
      if (!REPO_LINE_REF.test(source.ref) && !URL_REF.test(source.ref))
        problems.push(`${at}.ref: "${source.ref}": write owner/repo:path#L12 or the issue's https:// URL`);
      else if (!namedByPlatform.get(rule.platform)?.has(source.ref))
        problems.push(`${at}: no fixture in tests/fixtures/${rule.platform}/ names "${source.ref}" in a source: line`);
    });
  }

  const report: string[] = [];
  const newest = (rule: Rule) =>
    (rule.sources ?? [])
      .map((s) => s.seen)
      .sort()
      .at(-1);
  const byAge = rules
    .map(({ rule }) => ({ rule, seen: newest(rule) }))
    .sort((a, b) => (a.seen ?? '').localeCompare(b.seen ?? '') || a.rule.id.localeCompare(b.rule.id));
  report.push('rules by the age of their newest source (oldest first):');
  for (const { rule, seen } of byAge)
    report.push(`  ${seen ? `${seen} (${daysBetween(seen, today)} days)` : 'no source'.padEnd(10)}  ${rule.id}`);

  const expecting = new Map<string, string[]>();
  for (const { path, fixture } of fixtures)
    for (const id of fixture.expect) expecting.set(id, [...(expecting.get(id) ?? []), path.split('/').pop() ?? path]);
  report.push('coverage per platform and feature (rules, their sources, the fixtures that expect them):');
  for (const platform of PLATFORM_IDS) {
    for (const feature of FEATURE_IDS) {
      const here = rules.filter(({ rule }) => rule.platform === platform && rule.feature === feature);
      if (here.length === 0) continue;
      report.push(`  ${platform} × ${feature}`);
      for (const { rule } of here) {
        report.push(`    ${rule.id}`);
        for (const s of rule.sources ?? []) report.push(`      source  ${s.kind} ${s.ref} (seen ${s.seen})`);
        report.push(`      fixtures ${(expecting.get(rule.id) ?? ['none']).join(', ')}`);
      }
    }
  }
  return { problems, report };
}
