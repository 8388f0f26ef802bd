/**
 * Who may import whom (README, "Who may import whom"), over the whole import graph: every .ts and
 * .tsx of ours, aliases resolved, `vi.mock()` and `import.meta.glob()` included, WXT's
 * auto-imports counted as imports. A violation names the importing file, the imported file and
 * the rule.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  checkGraph,
  extractReferences,
  findCycles,
  formatViolation,
  resolveSpecifier,
  RULES,
  type Edge,
} from '../helpers/import-graph';

const root = join(import.meta.dirname, '../..');

describe('the import graph of this repository', () => {
  const graph = buildGraph(root);

  it('covers every folder of ours', () => {
    for (const dir of ['entrypoints/', 'components/', 'lib/', 'utils/', 'rules/', 'scripts/', 'tests/']) {
      expect(graph.files.some((f) => f.startsWith(dir))).toBe(true);
    }
    expect(graph.files).toContain('wxt.config.ts');
    expect(graph.files).toContain('tests/unit/import-graph.test.ts');
    // Aliased and auto-imported edges are in it, not only relative ones.
    expect(graph.edges.some((e) => e.kind === 'auto-import' && e.from.startsWith('entrypoints/'))).toBe(true);
    expect(graph.edges.some((e) => e.kind === 'glob' && e.to.startsWith('rules/platforms/'))).toBe(true);
  });

  it('has no import that names a missing file', () => {
    expect(graph.unresolved.map(formatViolation)).toEqual([]);
  });

  it('keeps every boundary and has no cycle', () => {
    expect(checkGraph(graph.edges).map(formatViolation)).toEqual([]);
  });
});

/** A made-up graph: each entry is "from -> to". */
function edges(...pairs: string[]): Edge[] {
  return pairs.map((pair) => {
    const [from, to] = pair.split(' -> ');
    return { from, to, external: !/\.tsx?$/.test(to), kind: 'import', line: 1 };
  });
}

describe('checkGraph', () => {
  it('accepts imports that follow the rules', () => {
    const ok = edges(
      'lib/findings.ts -> rules/schema.ts',
      'lib/engine/index.ts -> lib/engine/compile.ts',
      'lib/pack-check.ts -> scslre',
      'utils/settings.ts -> wxt/utils/storage',
      'utils/settings.ts -> rules/schema.ts',
      'components/CategoryBadge.tsx -> utils/taxonomy-labels.ts',
      'entrypoints/popup/App.tsx -> components/CategoryBadge.tsx',
      'entrypoints/popup/main.tsx -> entrypoints/popup/App.tsx',
      'scripts/rules-check.ts -> lib/pack-check.ts',
      'scripts/rules-check.ts -> node:fs',
      'tests/unit/x.test.ts -> entrypoints/background/router.ts',
      'tests/e2e/fixtures.ts -> scripts/browser-harness.ts',
    );
    expect(checkGraph(ok)).toEqual([]);
  });

  it.each([
    ['rules/schema.ts -> lib/hosts.ts', RULES.rules],
    ['lib/findings.ts -> entrypoints/background/router.ts', RULES.lib],
    ['lib/findings.ts -> utils/settings.ts', RULES.lib],
    ['lib/hosts.ts -> wxt/browser', RULES.libApi],
    ['lib/hosts.ts -> #imports', RULES.libApi],
    ['lib/hosts.ts -> chrome', RULES.libApi],
    ['components/CategoryBadge.tsx -> entrypoints/popup/App.tsx', RULES.shared],
    ['utils/settings.ts -> tests/helpers/fake-i18n.ts', RULES.shared],
    ['entrypoints/popup/App.tsx -> entrypoints/report/App.tsx', RULES.entrypoints],
    ['entrypoints/popup/App.tsx -> entrypoints/background.ts', RULES.entrypoints],
    ['entrypoints/report/App.tsx -> scripts/demo.ts', RULES.extensionNoTools],
    ['scripts/demo.ts -> tests/e2e/fixtures.ts', RULES.scripts],
    ['utils/bundled-rules.ts -> node:fs', RULES.node],
    ['lib/hosts.ts -> path', RULES.node],
  ])('refuses %s', (pair, rule) => {
    const [from, to] = pair.split(' -> ');
    const found = checkGraph(edges(pair));
    expect(found).toEqual([{ file: from, imported: to, rule, line: 1 }]);
    expect(formatViolation(found[0])).toBe(`${from}:1 imports ${to}: ${rule}`);
  });

  it('reports a cycle with its path', () => {
    const graph = edges(
      'utils/a.ts -> utils/b.ts',
      'utils/b.ts -> utils/c.ts',
      'utils/c.ts -> utils/a.ts',
      'utils/c.ts -> utils/d.ts',
    );
    expect(findCycles(graph)).toEqual([['utils/a.ts', 'utils/b.ts', 'utils/c.ts', 'utils/a.ts']]);
    expect(checkGraph(graph).map(formatViolation)).toEqual([
      `utils/a.ts imports utils/b.ts: ${RULES.cycle}: utils/a.ts → utils/b.ts → utils/c.ts → utils/a.ts`,
    ]);
  });

  it('finds no cycle in a graph without one, and one per separate cycle', () => {
    expect(findCycles(edges('lib/a.ts -> lib/b.ts', 'lib/b.ts -> lib/c.ts', 'lib/a.ts -> lib/c.ts'))).toEqual([]);
    const two = findCycles(
      edges('lib/a.ts -> lib/b.ts', 'lib/b.ts -> lib/a.ts', 'utils/x.ts -> utils/y.ts', 'utils/y.ts -> utils/x.ts'),
    );
    expect(two).toHaveLength(2);
  });
});

describe('extractReferences', () => {
  const implicit = new Map([
    ['browser', 'wxt/browser'],
    ['getSettings', './utils/settings'],
    ['chrome', 'global:chrome'],
  ]);

  it('finds every kind of import', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '@/lib/b';",
      "export { c } from '../c';",
      "export * from '~/d';",
      "const e = await import('./e');",
      "type F = typeof import('./f');",
      "vi.mock('@/utils/g', () => ({}));",
      "const files = import.meta.glob('../rules/platforms/*.json');",
    ].join('\n');
    expect(extractReferences('utils/x.ts', text).map((r) => [r.specifier, r.kind, r.line])).toEqual([
      ['./a', 'import', 1],
      ['@/lib/b', 'type', 2],
      ['../c', 'export', 3],
      ['~/d', 'export', 4],
      ['./e', 'dynamic', 5],
      ['./f', 'type', 6],
      ['@/utils/g', 'mock', 7],
      ['../rules/platforms/*.json', 'glob', 8],
    ]);
  });

  it('counts an auto-imported or global name used without a declaration, once', () => {
    const text =
      'export const f = () => { browser.tabs.query({}); chrome.runtime.id; return getSettings(); };\nbrowser.x;';
    expect(extractReferences('lib/x.ts', text, implicit).map((r) => [r.specifier, r.kind])).toEqual([
      ['wxt/browser', 'auto-import'],
      ['global:chrome', 'global'],
      ['./utils/settings', 'auto-import'],
    ]);
  });

  it('does not count a local of the same name, or a property of that name', () => {
    const text = 'const browser = 1; export const o = { getSettings: 2, chrome: 3 }; o.getSettings; browser;';
    expect(extractReferences('lib/x.ts', text, implicit)).toEqual([]);
  });
});

describe('resolveSpecifier', () => {
  it('resolves relative paths and root aliases to files, packages to themselves', () => {
    expect(resolveSpecifier(root, 'entrypoints/background/index.ts', './router')).toEqual({
      file: 'entrypoints/background/router.ts',
    });
    expect(resolveSpecifier(root, 'tests/unit/x.test.ts', '@/lib/hosts')).toEqual({ file: 'lib/hosts.ts' });
    expect(resolveSpecifier(root, 'tests/unit/x.test.ts', '~/lib/engine')).toEqual({ file: 'lib/engine/index.ts' });
    expect(resolveSpecifier(root, 'lib/x.ts', 'zod/mini')).toEqual({ external: 'zod/mini' });
    expect(resolveSpecifier(root, 'lib/x.ts', './no-such-file')).toBeNull();
  });
});
