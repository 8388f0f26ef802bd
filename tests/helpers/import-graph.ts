/**
 * The project's import graph and the rules about who may import whom (README, "Who may import
 * whom"). eslint's `no-restricted-imports` catches most violations while editing; this catches
 * what it cannot see: `@/` aliases resolved to real files, `vi.mock()` and `import.meta.glob()`
 * specifiers, WXT's auto-imports (a name used without an import statement), and cycles.
 *
 * `buildGraph` reads the files, `checkGraph` applies the rules; the second is pure, so a unit test
 * can give it a small made-up graph and watch it fail.
 */
import { existsSync, globSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type EdgeKind = 'import' | 'export' | 'dynamic' | 'type' | 'mock' | 'glob' | 'auto-import' | 'global';

export interface Edge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file, or the bare specifier of a package. */
  to: string;
  /** True for a package, a Node built-in, a virtual module (`#i18n`) or a browser global. */
  external: boolean;
  kind: EdgeKind;
  line: number;
}

export interface Violation {
  file: string;
  imported: string;
  rule: string;
  line?: number;
}

/** The folders (and root files) of ours that the graph covers. */
export const SOURCE_DIRS = ['entrypoints', 'components', 'lib', 'utils', 'rules', 'scripts', 'tests'];
const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.output', '.wxt', 'results', 'fixtures']);
/** Aliases WXT declares for the project root (see .wxt/tsconfig.json). */
const ROOT_ALIASES = ['@', '~', '@@', '~~'];

const posix = (path: string) => path.split(sep).join('/');

export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (SOURCE_FILE.test(name)) out.push(posix(relative(root, path)));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const name of readdirSync(root).sort()) if (SOURCE_FILE.test(name)) out.push(name);
  return out;
}

interface Reference {
  specifier: string;
  kind: EdgeKind;
  line: number;
}

const MOCK_CALLS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock']);

function stringArgs(node: ts.CallExpression): string[] {
  const first = node.arguments[0];
  if (!first) return [];
  if (ts.isStringLiteralLike(first)) return [first.text];
  if (ts.isArrayLiteralExpression(first)) return first.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
  return [];
}

/** Whether `id` names a declaration or a property rather than referring to a binding in scope. */
function isNotAReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (
    (ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) &&
    id !== (ts.isQualifiedName(p) ? p.left : p.expression)
  )
    return true;
  if (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) return p.name === id;
  if (ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p))
    return p.name === id;
  if (ts.isEnumMember(p) || ts.isJsxAttribute(p) || ts.isLabeledStatement(p)) return true;
  if (ts.isBreakOrContinueStatement(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return true;
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  return false;
}

/** Names the file declares itself (a crude, scope-blind list: enough to tell a local from an auto-import). */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isClassDeclaration(node) ||
        ts.isClassExpression(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node) ||
        ts.isImportSpecifier(node) ||
        ts.isImportClause(node) ||
        ts.isNamespaceImport(node) ||
        ts.isImportEqualsDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isEnumDeclaration(node) ||
        ts.isModuleDeclaration(node) ||
        ts.isTypeParameterDeclaration(node))
    ) {
      names.add(name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/**
 * Every module a file refers to: static imports, `export … from`, `import()`, `typeof import()`,
 * `require()`, `vi.mock()` and friends, `import.meta.glob()` patterns, and the auto-imported or
 * global names in `implicit` that it uses without declaring them.
 */
export function extractReferences(
  fileName: string,
  text: string,
  implicit: ReadonlyMap<string, string> = new Map(),
): Reference[] {
  const kind = fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const refs: Reference[] = [];
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const declared = declaredNames(source);
  const used = new Set<string>();

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier)) {
      const typeOnly = node.importClause?.isTypeOnly ?? false;
      refs.push({ specifier: node.moduleSpecifier.text, kind: typeOnly ? 'type' : 'import', line: line(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, kind: 'export', line: line(node) });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteralLike(node.moduleReference.expression)
    ) {
      refs.push({ specifier: node.moduleReference.expression.text, kind: 'import', line: line(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteralLike(literal)) refs.push({ specifier: literal.text, kind: 'type', line: line(node) });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        for (const s of stringArgs(node)) refs.push({ specifier: s, kind: 'dynamic', line: line(node) });
      } else if (ts.isPropertyAccessExpression(callee)) {
        const target = callee.expression;
        if (ts.isIdentifier(target) && target.text === 'vi' && MOCK_CALLS.has(callee.name.text)) {
          for (const s of stringArgs(node)) refs.push({ specifier: s, kind: 'mock', line: line(node) });
        } else if (ts.isMetaProperty(target) && callee.name.text === 'glob') {
          for (const s of stringArgs(node)) refs.push({ specifier: s, kind: 'glob', line: line(node) });
        }
      }
    } else if (ts.isIdentifier(node) && implicit.has(node.text) && !declared.has(node.text) && !isNotAReference(node)) {
      if (!used.has(node.text)) {
        used.add(node.text);
        const specifier = implicit.get(node.text)!;
        refs.push({ specifier, kind: specifier.startsWith('global:') ? 'global' : 'auto-import', line: line(node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];

/**
 * The repository-relative file a specifier names, `null` for one of ours that does not exist, or
 * `{ external }` for a package, a Node built-in or a virtual module.
 */
export function resolveSpecifier(
  root: string,
  fromFile: string,
  specifier: string,
): { file: string } | { external: string } | null {
  const bare = specifier.replace(/\?.*$/, '');
  let base: string | null = null;
  if (bare.startsWith('./') || bare.startsWith('../') || bare === '.' || bare === '..') {
    base = resolve(root, dirname(fromFile), bare);
  } else {
    for (const alias of ROOT_ALIASES) {
      if (bare === alias) base = root;
      else if (bare.startsWith(alias + '/')) base = resolve(root, bare.slice(alias.length + 1));
      if (base) break;
    }
  }
  if (base === null) return { external: specifier };
  const candidates = RESOLVE_SUFFIXES.map((s) => base + s);
  if (/\.jsx?$/.test(base)) candidates.push(base.replace(/\.js(x?)$/, '.ts$1'));
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return { file: posix(relative(root, c)) };
  return null;
}

/** Name → module of WXT's auto-imports, read from the types `wxt prepare` generates. */
export function readAutoImports(root: string): Map<string, string> {
  const file = join(root, '.wxt/types/imports.d.ts');
  if (!existsSync(file)) throw new Error('.wxt/types/imports.d.ts is missing: run "npx wxt prepare" first');
  const text = readFileSync(file, 'utf8');
  const names = new Map<string, string>();
  const target = (spec: string) => (spec.startsWith('/') ? './' + posix(relative(root, spec)) : spec);
  for (const m of text.matchAll(/const (\w+): typeof import\('([^']+)'\)/g)) names.set(m[1], target(m[2]));
  for (const m of text.matchAll(/export type \{([^}]+)\} from '([^']+)'/g))
    for (const name of m[1].split(',')) names.set(name.trim(), target(m[2]));
  // The browser's own extension namespace needs no import at all.
  names.set('chrome', 'global:chrome');
  return names;
}

/** The whole graph, plus every specifier of ours that names no file. */
export function buildGraph(root: string): { files: string[]; edges: Edge[]; unresolved: Violation[] } {
  const autoImports = readAutoImports(root);
  const files = listSourceFiles(root);
  const edges: Edge[] = [];
  const unresolved: Violation[] = [];
  for (const from of files) {
    for (const ref of extractReferences(from, readFileSync(join(root, from), 'utf8'), autoImports)) {
      const base = { from, kind: ref.kind, line: ref.line };
      if (ref.kind === 'global') {
        edges.push({ ...base, to: ref.specifier.slice('global:'.length), external: true });
      } else if (ref.kind === 'glob') {
        const dir = dirname(join(root, from));
        const pattern = ref.specifier.startsWith('/') ? join(root, ref.specifier) : resolve(dir, ref.specifier);
        const matches = globSync(posix(relative(root, pattern)), { cwd: root });
        if (matches.length === 0)
          unresolved.push({ file: from, imported: ref.specifier, rule: 'the glob matches no file', line: ref.line });
        for (const m of matches.sort()) edges.push({ ...base, to: posix(m), external: false });
      } else {
        // Auto-imports are named from the root.
        const target = resolveSpecifier(root, ref.kind === 'auto-import' ? '' : from, ref.specifier);
        if (target === null)
          unresolved.push({
            file: from,
            imported: ref.specifier,
            rule: 'names a file that does not exist',
            line: ref.line,
          });
        else if ('file' in target) edges.push({ ...base, to: target.file, external: false });
        else edges.push({ ...base, to: target.external, external: true });
      }
    }
  }
  return { files, edges, unresolved };
}

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

const EXTENSION_API = /^(wxt(\/|$)|#imports$|#i18n$|webextension-polyfill$|@wxt-dev\/|chrome$|browser$)/;
const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]);

const top = (file: string) => file.split('/')[0];
/** `entrypoints/<name>` for a file of an entrypoint (a folder, or a single file such as `background.ts`). */
const entrypointOf = (file: string) => {
  const [dir, name] = file.split('/');
  return dir === 'entrypoints' && name ? `entrypoints/${name.replace(/\.[^.]+$/, '')}` : null;
};
/** Code that ships in the extension: it runs in a browser, never in Node. */
const EXTENSION_CODE = new Set(['rules', 'lib', 'utils', 'components', 'entrypoints']);

export const RULES = {
  rules: 'rules/ is data and its schema: it imports nothing of ours',
  lib: 'lib/ is pure: it imports only rules/ and lib/',
  libApi: 'lib/ never uses an extension API (wxt, #imports, #i18n, browser, chrome)',
  shared: 'utils/ and components/ never import an entrypoint, a script or a test',
  entrypoints: 'an entrypoint never imports another entrypoint: shared code goes in lib/, utils/ or components/',
  extensionNoTools: 'extension code never imports scripts/ or tests/',
  scripts: 'scripts/ never import tests/',
  node: 'extension code runs in the browser: it never imports a Node built-in',
  cycle: 'no import cycles',
} as const;

function edgeViolation(edge: Edge): string | null {
  const from = top(edge.from);
  if (edge.external) {
    if (from === 'lib' && EXTENSION_API.test(edge.to)) return RULES.libApi;
    if (EXTENSION_CODE.has(from) && isNodeBuiltin(edge.to)) return RULES.node;
    return null;
  }
  const to = top(edge.to);
  const fromEntry = entrypointOf(edge.from);
  const toEntry = entrypointOf(edge.to);
  if (from === 'rules' && to !== 'rules') return RULES.rules;
  if (from === 'lib' && to !== 'lib' && to !== 'rules') return RULES.lib;
  if ((from === 'utils' || from === 'components') && ['entrypoints', 'scripts', 'tests'].includes(to))
    return RULES.shared;
  if (fromEntry && toEntry && fromEntry !== toEntry) return RULES.entrypoints;
  if (fromEntry && (to === 'scripts' || to === 'tests')) return RULES.extensionNoTools;
  if (from === 'scripts' && to === 'tests') return RULES.scripts;
  return null;
}

/** One cycle through each group of files that import one another, as a path `a → b → a`. */
export function findCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.external || e.from === e.to) continue;
    const list = next.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    next.set(e.from, list);
  }
  // Tarjan's strongly connected components; every component larger than one file holds a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v);

  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    // Breadth-first from `start` inside the component, back to `start`: the shortest such cycle.
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of next.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let at: string | undefined = v; at !== undefined && at !== start; at = previous.get(at))
            path.splice(1, 0, at);
          return [...path, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...component, component[0]];
  });
}

export function checkGraph(edges: readonly Edge[]): Violation[] {
  const violations: Violation[] = [];
  for (const edge of edges) {
    const rule = edgeViolation(edge);
    if (rule) violations.push({ file: edge.from, imported: edge.to, rule, line: edge.line });
  }
  for (const cycle of findCycles(edges)) {
    violations.push({ file: cycle[0], imported: cycle[1], rule: `${RULES.cycle}: ${cycle.join(' → ')}` });
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}${v.line ? `:${v.line}` : ''} imports ${v.imported}: ${v.rule}`;
}
