// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom. Each entry restricts the files it names; a violation names the rule that
 * forbids it. tests/unit/import-graph.test.ts checks the same boundaries (and cycles) over the
 * whole import graph, aliases included.
 */
/** Import patterns for folders of ours, by relative path or by the `@/` root alias. */
const folders = (...names) => names.flatMap((name) => [`**/${name}/**`, `@/${name}/**`]);

const boundary = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.output/',
      '.wxt/',
      'test-results/',
      'playwright-report/',
      'artifacts/',
      'tests/bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, ...globals.webextensions },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Playwright fixtures that need no other fixture take `{}`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    // Extension code shows page text as text. (Tests build their DOM trees from HTML strings.)
    files: ['entrypoints/**', 'components/**', 'lib/**', 'utils/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'Page text is shown as text, never as HTML.',
        },
        {
          selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
          message: 'Page text is shown as text, never as HTML.',
        },
      ],
    },
  },
  boundary(
    ['rules/**'],
    [
      {
        group: folders('lib', 'utils', 'entrypoints', 'components', 'scripts', 'tests'),
        message: 'rules/ is data and its schema: it imports nothing of ours.',
      },
    ],
  ),
  boundary(
    ['lib/**'],
    [
      {
        group: folders('utils', 'entrypoints', 'components', 'scripts', 'tests'),
        message: 'lib/ is pure: it imports only rules/ and lib/.',
      },
      {
        group: ['wxt', 'wxt/**', '#imports', '#i18n', 'webextension-polyfill', '@wxt-dev/**'],
        message: 'lib/ never uses an extension API.',
      },
    ],
  ),
  boundary(
    ['utils/**', 'components/**'],
    [
      {
        group: folders('entrypoints', 'scripts', 'tests'),
        message: 'utils/ and components/ never import an entrypoint, a script or a test.',
      },
    ],
  ),
  ...['background', 'content', 'popup', 'report', 'research', 'options'].map((name) =>
    boundary(
      [`entrypoints/${name}/**`],
      [
        {
          group: [
            '**/entrypoints/*/**',
            '@/entrypoints/*/**',
            `!**/entrypoints/${name}/**`,
            `!@/entrypoints/${name}/**`,
          ],
          message: 'An entrypoint never imports another entrypoint: shared code goes in lib/, utils/ or components/.',
        },
        { group: folders('scripts', 'tests'), message: 'Extension code never imports scripts or tests.' },
      ],
    ),
  ),
  boundary(['scripts/**'], [{ group: folders('tests'), message: 'scripts/ never import tests/.' }]),
);
