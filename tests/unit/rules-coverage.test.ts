/**
 * The provenance checks of rules:check (scripts/rules-coverage.ts) and the fixture header they
 * read (scripts/fixture-format.ts): what they refuse, and what the report lists.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rule, type RuleInput, type RuleSource } from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { readFixture, type Fixture } from '../../scripts/fixture-format';
import { checkCoverage, collectFixtures, type FixtureEntry } from '../../scripts/rules-coverage';

const TODAY = '2026-12-03';
const LIST_LINE = 'owner/list:filters/annoyances.txt#L120';

function rule(id: string, sources?: RuleSource[]): { rule: Rule; file: string } {
  const input: RuleInput = {
    id,
    platform: 'youtube',
    feature: 'product-tag',
    regulationIds: ['r'],
    selector: 'ytd-merch-shelf-renderer',
    ...(sources ? { sources } : {}),
  };
  return { rule: Rule.parse(input), file: 'rules/platforms/youtube.json' };
}

function fixture(name: string, expect: string[], sources: string[] = [], platform = 'youtube'): FixtureEntry {
  const f: Fixture = { url: 'https://www.youtube.com/', expect, note: '', sources, real: 'r', filled: 'f', html: '' };
  return { path: `tests/fixtures/${platform}/${name}`, platform, fixture: f };
}

const listSource: RuleSource = { kind: 'filter-list', ref: LIST_LINE, seen: '2024-02-04' };

describe('checkCoverage problems', () => {
  it('accepts a rule whose outside source a fixture of its platform names', () => {
    const { problems } = checkCoverage({
      rules: [rule('youtube.a', [listSource])],
      fixtures: [fixture('a.html', ['youtube.a'], [LIST_LINE])],
      today: TODAY,
    });
    expect(problems).toEqual([]);
  });

  it('refuses a rule without sources, and one with only a capture of this project', () => {
    const { problems } = checkCoverage({
      rules: [rule('youtube.a'), rule('youtube.b', [{ kind: 'capture', ref: 'our snapshot', seen: '2026-11-23' }])],
      fixtures: [],
      today: TODAY,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('rule "youtube.a": needs a source from outside this project');
    expect(problems[1]).toContain('rule "youtube.b": needs a source from outside this project');
  });

  it('refuses a source no fixture names, or only a fixture of another platform names', () => {
    const { problems } = checkCoverage({
      rules: [rule('youtube.a', [listSource])],
      fixtures: [fixture('a.html', ['youtube.a']), fixture('b.html', [], [LIST_LINE], 'tiktok')],
      today: TODAY,
    });
    expect(problems).toEqual([
      `rules/platforms/youtube.json: rule "youtube.a" $.sources[0]: no fixture in tests/fixtures/youtube/ names "${LIST_LINE}" in a source: line`,
    ]);
  });

  it.each([
    ['a path without a line', 'owner/list:filters/annoyances.txt', 'ref'],
    ['a bare repository', 'owner/list', 'ref'],
    ['an http URL', 'http://example.com/issue/1', 'ref'],
  ])('refuses a ref that cannot be found again: %s', (_what, ref, field) => {
    const { problems } = checkCoverage({
      rules: [rule('youtube.a', [{ kind: 'issue', ref, seen: '2024-01-01' }])],
      fixtures: [fixture('a.html', ['youtube.a'], [ref])],
      today: TODAY,
    });
    expect(problems.some((p) => p.includes(`$.sources[0].${field}`))).toBe(true);
  });

  it('accepts a line at a commit and an issue URL', () => {
    const atCommit = 'owner/sdk@5cba85db21f6:src/objects/media.js#L21';
    const issue = 'https://github.com/owner/repo/issues/3089';
    const { problems } = checkCoverage({
      rules: [
        rule('youtube.a', [
          { kind: 'parser', ref: atCommit, seen: '2024-06-14' },
          { kind: 'issue', ref: issue, seen: '2024-04-25' },
        ]),
      ],
      fixtures: [fixture('a.html', ['youtube.a'], [atCommit, issue])],
      today: TODAY,
    });
    expect(problems).toEqual([]);
  });

  it('refuses a seen date that does not exist or lies after today', () => {
    const { problems } = checkCoverage({
      rules: [
        rule('youtube.a', [
          { ...listSource, seen: '2025-02-30' },
          { ...listSource, seen: '2026-12-04' },
        ]),
      ],
      fixtures: [fixture('a.html', ['youtube.a'], [LIST_LINE])],
      today: TODAY,
    });
    expect(problems).toEqual([
      'rules/platforms/youtube.json: rule "youtube.a" $.sources[0].seen: "2025-02-30" is not a date',
      'rules/platforms/youtube.json: rule "youtube.a" $.sources[1].seen: 2026-12-04 is after today (2026-12-03)',
    ]);
  });

  it('refuses a fixture source line that is neither a repository line, a URL nor a capture', () => {
    const { problems } = checkCoverage({ rules: [], fixtures: [fixture('a.html', [], ['somewhere'])], today: TODAY });
    expect(problems).toEqual([
      'tests/fixtures/youtube/a.html: source "somewhere": write owner/repo:path#L12, an https:// URL or capture:<what>',
    ]);
  });
});

describe('checkCoverage report', () => {
  const { report } = checkCoverage({
    rules: [
      rule('youtube.new', [{ ...listSource, seen: '2026-11-03' }]),
      rule('youtube.old', [listSource, { ...listSource, seen: '2023-01-01' }]),
    ],
    fixtures: [fixture('shelf.html', ['youtube.old', 'youtube.new'], [LIST_LINE]), fixture('neg.html', [])],
    today: TODAY,
  });

  it('lists rules by the age of their newest source, oldest first', () => {
    const start = report.indexOf('rules by the age of their newest source (oldest first):');
    expect(report.slice(start + 1, start + 3)).toEqual([
      '  2024-02-04 (1033 days)  youtube.old',
      '  2026-11-03 (30 days)  youtube.new',
    ]);
  });

  it('lists per platform and feature each rule with its sources and fixtures', () => {
    const start = report.indexOf('  youtube × product-tag');
    expect(start).toBeGreaterThan(0);
    expect(report.slice(start + 1, start + 4)).toEqual([
      '    youtube.new',
      `      source  filter-list ${LIST_LINE} (seen 2026-11-03)`,
      '      fixtures shelf.html',
    ]);
  });
});

describe('the bundled rules', () => {
  const root = join(import.meta.dirname, '../..');
  const rules = loadBundledPacks().flatMap((pack) => pack.rules.map((r) => ({ rule: r, file: pack.name })));

  it('all have a source outside this project that a fixture reproduces', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(checkCoverage({ rules, fixtures: collectFixtures(root), today: TODAY }).problems).toEqual([]);
  });
});

describe('fixture header', () => {
  const header = (lines: string[]) => `<!-- lensa-fixture\n${lines.join('\n')}\n-->\n<p>x</p>`;

  it('reads every source: line, and real: and filled:', () => {
    const f = readFixture(
      header([
        'url: https://www.youtube.com/',
        'expect:',
        `source: ${LIST_LINE}`,
        'source: https://x.test/1',
        'real: the tag name',
        'filled: the text',
      ]),
    );
    expect(f).toMatchObject({ sources: [LIST_LINE, 'https://x.test/1'], real: 'the tag name', filled: 'the text' });
  });

  it('needs real: and filled: once a source is named', () => {
    for (const missing of ['real: a', 'filled: b']) {
      const lines = ['url: https://www.youtube.com/', 'expect:', `source: ${LIST_LINE}`, 'real: a', 'filled: b'].filter(
        (l) => l !== missing,
      );
      expect(readFixture(header(lines))).toHaveProperty('error');
    }
  });

  it('keeps fixtures without a source as they were', () => {
    expect(readFixture(header(['url: https://www.youtube.com/', 'expect: youtube.a']))).toMatchObject({
      sources: [],
      expect: ['youtube.a'],
    });
  });
});
