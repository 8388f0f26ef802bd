import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { hostsToMatchPatterns } from './lib/hosts';
import { readBundledPacks } from './scripts/bundled-packs';
import { platformContentScripts, platformEntrypoints } from './scripts/platform-content-scripts';

/**
 * Host permissions come from the bundled rule packs' host lists, so a platform's hosts are written
 * once, in `rules/platforms/<id>.json` (each platform's content script matches come from its own).
 */
const platformMatchPatterns = () => hostsToMatchPatterns(readBundledPacks<{ platforms?: { hosts: string[] }[] }>());

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  hooks: {
    // One content script per platform, generated from rules/platforms/*.json (see the file).
    'entrypoints:found': (_wxt, infos) => {
      infos.push(...platformEntrypoints());
    },
  },
  vite: () => ({
    plugins: [preact(), platformContentScripts()],
    resolve: {
      // WXT's content-script context tells the page that the extension runs (see the file).
      alias: {
        'wxt/utils/content-script-context': resolve(import.meta.dirname, 'entrypoints/content/quiet-context.ts'),
      },
    },
    define: {
      // Bench-only naive mode (tests/bench): the shipped build compiles it out.
      __LENSA_BENCH_NAIVE__: JSON.stringify(process.env.LENSA_BENCH_NAIVE === '1'),
    },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'id',
    // `scripting`: the popup injects the element picker into the tab it is opened on, and a content
    // script's first highlight loads the highlights script (entrypoints/content/highlight-kit.ts).
    permissions: ['storage', 'activeTab', 'scripting'],
    host_permissions: platformMatchPatterns(),
    action: { default_title: '__MSG_extName__' },
    content_security_policy:
      browser === 'firefox'
        ? "script-src 'self'; object-src 'self'"
        : { extension_pages: "script-src 'self'; object-src 'self'" },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'lensa-niaga@lensaniaga.id',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
