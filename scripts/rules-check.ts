/**
 * `npm run rules:check`: validates every bundled data file and the links between them.
 *
 * - each rules/platforms/<id>.json passes the check every imported pack passes (lib/pack-check.ts:
 *   schema, limits, rule ids not taken by another pack, regulation ids that exist, safe patterns),
 *   lists the hosts of platform <id>, and holds only rules of platform <id>
 * - rules/regulations.json and rules/marketplaces.json are valid catalogues; every caveatId resolves
 * - every rule is expected by at least one fixture, and every platform has two negative fixtures
 * - every platform and every feature id has at least one rule
 * - rules/rule-pack.schema.json (the JSON Schema that each pack's `$schema` names, for editors) is
 *   what the zod schema in rules/schema.ts generates; `npm run rules:check -- --write` regenerates it
 * - every rule has a source outside this project, named by a fixture (scripts/rules-coverage.ts)
 *
 * Prints counts per platform and feature. Exits 1 with one line per problem.
 */
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJSONSchema } from 'zod';
import {
  FEATURE_IDS,
  MarketplaceCatalogue,
  PLATFORM_IDS,
  RegulationCatalogue,
  RulePack,
  validate,
  type Rule,
} from '../rules/schema';
import { checkBundledPacks } from './bundled-packs';
import { readFixture } from './fixture-format';
import { checkCoverage, collectFixtures } from './rules-coverage';

const root = join(import.meta.dirname, '..');
const problems: string[] = [];

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(root, file), 'utf8'));
  } catch (error) {
    problems.push(`${file}: not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

// Catalogues ---------------------------------------------------------------------------------
const regulationIds = new Set<string>();
const regRaw = readJson('rules/regulations.json');
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
const mpRaw = readJson('rules/marketplaces.json');
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

// Rule packs: the same check the build runs (scripts/bundled-packs.ts) ---------------------
const SCHEMA_FILE = 'rules/rule-pack.schema.json';
const bundled = checkBundledPacks(regulationIds);
problems.push(...bundled.problems);
const rules: { rule: Rule; file: string }[] = bundled.packs.flatMap(({ pack, file }) =>
  pack.rules.map((rule) => ({ rule, file })),
);
const seenIds = new Set(rules.map(({ rule }) => rule.id));

// The JSON Schema for editors ----------------------------------------------------------------
// What a pack file may say: fields the schema fills in with defaults are optional here.
const { $schema, ...packSchema } = toJSONSchema(RulePack, { io: 'input' });
const generated =
  JSON.stringify(
    {
      $schema,
      title: 'Lensa Niaga rule pack',
      description: `Generated from RulePack in rules/schema.ts by "npm run rules:check -- --write"; do not edit.`,
      ...packSchema,
    },
    null,
    2,
  ) + '\n';
if (process.argv.includes('--write')) {
  writeFileSync(join(root, SCHEMA_FILE), generated);
  console.log(`wrote ${SCHEMA_FILE}`);
} else if (!existsSync(join(root, SCHEMA_FILE)) || readFileSync(join(root, SCHEMA_FILE), 'utf8') !== generated) {
  problems.push(`${SCHEMA_FILE}: out of date with rules/schema.ts; run "npm run rules:check -- --write"`);
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
