import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRouter, type Sender } from '@/entrypoints/background/router';
import { TabStore, type SessionArea } from '@/entrypoints/background/tab-store';
import { storeUserPack } from '@/utils/user-packs';
import { listSwitchedOffRules, recordSlowRules, switchRuleOnAgain } from '@/utils/switched-off-rules';
import { withoutSwitchedOff } from '@/utils/switched-off-records';
import { RulePack } from '@/rules/schema';
import { precompilePacks } from '@/lib/engine';

const ID = 'ext-id';
const ORIGIN = 'chrome-extension://ext-id';
const contentSender: Sender = {
  id: ID,
  url: 'https://www.tiktok.com/@someone/video/123?q=x',
  tab: { id: 7 },
  frameId: 0,
};
const popupSender: Sender = { id: ID, url: `${ORIGIN}/options.html` };

const area: SessionArea = { get: async () => ({}), set: async () => {}, remove: async () => {} };
const router = () =>
  createRouter({
    store: new TabStore(area),
    extensionId: ID,
    extensionOrigin: ORIGIN,
    recordSlowRules: (report) => recordSlowRules(report, 1_700_000_000_000),
  });

const userPack = RulePack.parse({
  name: 'toko-saya',
  version: '1.0.0',
  engine: 1,
  rules: [
    {
      id: 'toko-saya.slow',
      platform: 'tiktok',
      feature: 'live-shopping',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: 'li:has(~ li b)',
      signals: [{ kind: 'text', pattern: '^x' }],
    },
    {
      id: 'toko-saya.other',
      platform: 'tiktok',
      feature: 'live-shopping',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: 'p',
      signals: [{ kind: 'text', pattern: '^y' }],
    },
  ],
});

const slow = (ruleIds: string[]) => ({
  type: 'rules:slow',
  platform: 'tiktok',
  ruleIds,
  spentMs: 73.4,
  budgetMs: 50,
  windowMs: 1000,
});

beforeEach(async () => {
  fakeBrowser.reset();
  await storeUserPack(userPack, precompilePacks([userPack]), '0.1.0', 1);
});

describe('rules:slow', () => {
  it('keeps a user rule switched off, with the host but not the page path, and why', async () => {
    const handle = router();
    expect(await handle(slow(['toko-saya.slow']), contentSender)).toEqual({ ok: true, recorded: 1 });
    expect(await listSwitchedOffRules()).toEqual([
      {
        ruleId: 'toko-saya.slow',
        pack: 'toko-saya',
        platform: 'tiktok',
        host: 'www.tiktok.com',
        spentMs: 73,
        budgetMs: 50,
        windowMs: 1000,
        at: 1_700_000_000_000,
      },
    ]);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain('someone');
    // Reported again (another tab): one record.
    expect(await handle(slow(['toko-saya.slow']), contentSender)).toEqual({ ok: true, recorded: 0 });
    expect(await listSwitchedOffRules()).toHaveLength(1);
  });

  it('switches off only rules of installed user packs: bundled and made-up ids are ignored', async () => {
    const handle = router();
    const reply = await handle(slow(['tiktok.product-anchor', 'nobody.made-up', 'toko-saya.other']), contentSender);
    expect(reply).toEqual({ ok: true, recorded: 1 });
    expect((await listSwitchedOffRules()).map((r) => r.ruleId)).toEqual(['toko-saya.other']);
    // A rule of another platform than the one reported is not switched off either.
    expect(await handle({ ...slow(['toko-saya.slow']), platform: 'youtube' }, contentSender)).toEqual({
      ok: true,
      recorded: 0,
    });
  });

  it('is accepted only from a content script in a tab’s top frame', async () => {
    const handle = router();
    const bad: Sender[] = [
      popupSender,
      { ...contentSender, frameId: 2 },
      { ...contentSender, id: 'other-extension' },
      { id: ID, url: 'https://www.tiktok.com/' },
    ];
    for (const sender of bad) {
      expect(await handle(slow(['toko-saya.slow']), sender)).toEqual({ ok: false, error: expect.any(String) });
    }
    for (const message of [slow([]), { ...slow(['a']), spentMs: -1 }, { ...slow(['a']), host: 'x' }]) {
      expect(await handle(message, contentSender)).toEqual({ ok: false, error: expect.any(String) });
    }
    expect(await listSwitchedOffRules()).toEqual([]);
  });

  it('leaves switched-off rules out of the packs the content script runs until switched on again', async () => {
    await router()(slow(['toko-saya.slow']), contentSender);
    const off = await listSwitchedOffRules();
    const compiled = precompilePacks([userPack]);
    expect(withoutSwitchedOff([compiled], off)[0].rules.map((r) => r.rule.id)).toEqual(['toko-saya.other']);
    expect(compiled.rules).toHaveLength(2); // the stored pack is unchanged
    await switchRuleOnAgain('toko-saya.slow');
    expect(withoutSwitchedOff([compiled], await listSwitchedOffRules())[0].rules).toHaveLength(2);
  });
});
