/**
 * `npm run rules:check`: validates every bundled data file and the links between them.
 *
 * - each rules/platforms/<id>.json is a valid rule pack whose rules all belong to platform <id>
 * - rules/regulations.json and rules/marketplaces.json are valid catalogues
 * - rule ids are unique across packs; every regulationId and caveatId resolves
 * - every rule is expected by at least one fixture, and every platform has two negative fixtures
 * - every pattern is safe to run: the checks user packs get (utils/pattern-safety.ts)
 * - every platform and every feature id has at least one rule
 * - every rule has a source outside this project, named by a fixture (scripts/rules-coverage.ts)
 *
 * Prints counts per platform and feature. Exits 1 with one line per problem.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  FEATURE_IDS,
  MarketplaceCatalogue,
  PLATFORM_IDS,
  RegulationCatalogue,
  RulePack,
  validate,
  type Rule,
} from '../rules/schema';
import { readFixture } from './fixture-format';
import { checkCoverage, collectFixtures } from './rules-coverage';
import { backtrackingProblems, patternProblems } from '../lib/pattern-safety';

const root = join(import.meta.dirname, '..');
const problems: string[] = [];

function readJson(path: string): unknown {
  const rel = relative(root, path);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${rel}: not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

// Rule packs ---------------------------------------------------------------------------------
const rules: { rule: Rule; file: string }[] = [];
const platformDir = join(root, 'rules/platforms');
for (const name of readdirSync(platformDir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const file = `rules/platforms/${name}`;
  const id = basename(name, '.json');
  const raw = readJson(join(platformDir, name));
  if (raw === undefined) continue;
  const result = validate(RulePack, raw, file);
  if (!result.ok) {
    problems.push(...result.errors);
    continue;
  }
  if (!result.value.platforms.some((p) => p.id === id))
    problems.push(`${file}: $.platforms: must list the hosts of "${id}"`);
  result.value.rules.forEach((rule, i) => {
    if (rule.platform !== id)
      problems.push(`${file}: rule "${rule.id}" $.rules[${i}].platform: "${rule.platform}" in the ${id} pack`);
    rules.push({ rule, file });
    const signals = [...rule.signals, ...rule.exclude, ...(rule.page ? [{ kind: 'page' as const, ...rule.page }] : [])];
    signals.forEach((signal) => {
      if (!('pattern' in signal)) return;
      // The same checks a user pack's patterns must pass (utils/pack-import.ts).
      const found = patternProblems(signal.pattern, signal.flags);
      for (const message of found.length ? found : backtrackingProblems(signal.pattern, signal.flags ?? '')) {
        problems.push(`${file}: rule "${rule.id}": pattern /${signal.pattern}/: ${message}`);
      }
    });
  });
}

// Catalogues ---------------------------------------------------------------------------------
const regulationIds = new Set<string>();
const regRaw = readJson(join(root, 'rules/regulations.json'));
if (regRaw !== undefined) {
  const result = validate(RegulationCatalogue, regRaw, 'rules/regulations.json');
  if (!result.ok) problems.push(...result.errors);
  else {
    for (const r of result.value.regulations) {
      if (regulationIds.has(r.id)) problems.push(`rules/regulations.json: duplicate id "${r.id}"`);
      regulationIds.add(r.id);
    }
    for (const r of result.value.regulations)
      for (const c of r.caveatIds)
        if (!regulationIds.has(c)) problems.push(`rules/regulations.json: "${r.id}" caveatIds: unknown id "${c}"`);
  }
}
const mpRaw = readJson(join(root, 'rules/marketplaces.json'));
if (mpRaw !== undefined) {
  const result = validate(MarketplaceCatalogue, mpRaw, 'rules/marketplaces.json');
  if (!result.ok) problems.push(...result.errors);
  else
    for (const m of result.value.marketplaces)
      for (const o of m.operates)
        for (const id of o.regulationIds)
          if (!regulationIds.has(id))
            problems.push(`rules/marketplaces.json: "${m.id}" operates ${o.host}: unknown regulation "${id}"`);
}

// Cross references ---------------------------------------------------------------------------
const seenIds = new Map<string, string>();
for (const { rule, file } of rules) {
  const other = seenIds.get(rule.id);
  if (other) problems.push(`${file}: rule "${rule.id}": id also used in ${other}`);
  seenIds.set(rule.id, file);
  for (const reg of rule.regulationIds)
    if (!regulationIds.has(reg)) problems.push(`${file}: rule "${rule.id}" regulationIds: unknown regulation "${reg}"`);
}

// Fixtures -----------------------------------------------------------------------------------
const covered = new Set<string>();
const fixtureDir = join(root, 'tests/fixtures');
for (const platform of PLATFORM_IDS) {
  const dir = join(fixtureDir, platform);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.html')) : [];
  let negatives = 0;
  for (const f of files) {
    const rel = `tests/fixtures/${platform}/${f}`;
    const fixture = readFixture(readFileSync(join(dir, f), 'utf8'));
    if ('error' in fixture) {
      problems.push(`${rel}: ${fixture.error}`);
      continue;
    }
    if (fixture.expect.length === 0) negatives++;
    for (const id of fixture.expect) {
      if (!seenIds.has(id)) problems.push(`${rel}: expects unknown rule "${id}"`);
      covered.add(id);
    }
  }
  if (negatives < 2) problems.push(`tests/fixtures/${platform}/: ${negatives} negative fixtures, need at least 2`);
}
for (const { rule, file } of rules)
  if (!covered.has(rule.id)) problems.push(`${file}: rule "${rule.id}": no fixture expects it`);

// Sources and coverage (report printed below) -----------------------------------------------
const coverage = checkCoverage({
  rules,
  fixtures: collectFixtures(root),
  today: new Date().toISOString().slice(0, 10),
});
problems.push(...coverage.problems);

// Coverage of the taxonomy -------------------------------------------------------------------
const byPlatform = new Map<string, number>();
const byFeature = new Map<string, number>();
for (const { rule } of rules) {
  byPlatform.set(rule.platform, (byPlatform.get(rule.platform) ?? 0) + 1);
  byFeature.set(rule.feature, (byFeature.get(rule.feature) ?? 0) + 1);
}
for (const p of PLATFORM_IDS) if (!byPlatform.get(p)) problems.push(`platform "${p}" has no rules`);
for (const f of FEATURE_IDS) if (!byFeature.get(f)) problems.push(`feature "${f}" has no rules`);

console.log(coverage.report.join('\n'));
console.log(`rules: ${rules.length} in ${byPlatform.size} platforms, ${regulationIds.size} regulations`);
console.log('per platform: ' + PLATFORM_IDS.map((p) => `${p}=${byPlatform.get(p) ?? 0}`).join(' '));
console.log('per feature:  ' + FEATURE_IDS.map((f) => `${f}=${byFeature.get(f) ?? 0}`).join(' '));
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log('rules:check: all bundled data is valid');
