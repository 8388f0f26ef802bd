/**
 * "Mark what it missed" and "Not a shopping feature", end to end in the built extension:
 * - the popup starts the element picker on a page; an element is chosen by pointer and keyboard,
 *   the proposed rule (its match count on the page) is saved through the options page, and the
 *   page reloaded finds it; the picker leaves nothing on the page and the page cannot read it;
 * - the My rules pack is exported and the file imports again through the normal import;
 * - a highlight marked "not a shopping feature" is gone after a reload.
 *
 * The picker's UI is in a closed shadow root, which no page script (and no Playwright locator)
 * can enter; the test reads it the way DevTools does, over the DevTools protocol.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { FEATURE_IDS } from '../../rules/schema';
import { expect, test } from './fixtures';

interface CdpNode {
  nodeId: number;
  nodeName: string;
  attributes?: string[];
  nodeType: number;
  nodeValue?: string;
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
}

/** The text inside the shadow root of the page's `tag` element, or null when there is none. */
async function shadowText(page: Page, tag: string): Promise<string | null> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
  await cdp.detach();
  const find = (node: CdpNode): CdpNode | null => {
    if (node.nodeName.toLowerCase() === tag) return node;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
      const found = find(child);
      if (found) return found;
    }
    return null;
  };
  const host = find(root);
  if (!host?.shadowRoots?.length) return null;
  const text = (node: CdpNode): string =>
    node.nodeName === 'STYLE'
      ? ''
      : (node.nodeType === 3 ? (node.nodeValue ?? '') : '') + (node.children ?? []).map(text).join(' ');
  return host.shadowRoots.map(text).join(' ').replace(/\s+/g, ' ');
}

/** The rectangle of the element of class `cls` inside the shadow root of `tag`. */
async function shadowBox(page: Page, tag: string, cls: string): Promise<{ x: number; width: number; bottom: number }> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: CdpNode };
  let host: CdpNode | null = null;
  const walk = (node: CdpNode, inside: boolean): CdpNode | null => {
    if (node.nodeName.toLowerCase() === tag) host = node;
    const mine = inside || node === host;
    const classes = node.attributes?.[node.attributes.indexOf('class') + 1] ?? '';
    if (inside && node.attributes?.includes('class') && classes.split(' ').includes(cls)) return node;
    for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
      const found = walk(child, mine);
      if (found) return found;
    }
    return null;
  };
  const node = walk(root, false);
  if (!node) throw new Error(`no .${cls} inside ${tag}`);
  const { model } = (await cdp.send('DOM.getBoxModel', { nodeId: node.nodeId })) as {
    model: { border: number[]; width: number };
  };
  await cdp.detach();
  return { x: model.border[0], width: model.width, bottom: model.border[5] };
}

test('pick a missed element, save the rule, find it after a reload; export and import it again', async ({
  pages,
  extension,
  openFixture,
}) => {
  test.setTimeout(60_000);
  const fixture = pages.find((p) => p.file.endsWith('picker-missed.html'))!;
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  const before = await extension.waitForReport(tabId, (r) => r.url === fixture.url);
  expect(before.detections).toEqual([]);
  // Nothing of the picker is on the page until the user starts it.
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(0);

  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html?tabId=${tabId}`);
  await popup.getByRole('button', { name: /Tandai yang terlewat|Mark what it missed/ }).click();
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(1);
  // A closed shadow root: the page cannot reach what is picked.
  expect(await page.evaluate(() => document.querySelector('lensa-niaga-picker')?.shadowRoot ?? null)).toBeNull();

  // Point at the first word of the banner, then ↑ to the banner itself, Enter to choose it.
  await page.bringToFront();
  const word = await page.getByText('Promo kilat').boundingBox();
  await page.mouse.move(word!.x + 5, word!.y + 5);
  await expect.poll(() => shadowText(page, 'lensa-niaga-picker')).toContain('span');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => shadowText(page, 'lensa-niaga-picker')).toContain('div[data-e2e="promo-banner"]');
  await page.keyboard.press('Enter');

  // The proposal: a selector of stable attributes (no hashed class), a label signal, one match.
  const proposal = (await shadowText(page, 'lensa-niaga-picker'))!;
  expect(proposal).toMatch(/Promo kilat hari ini/);
  expect(proposal).toMatch(/Menemukan 1 elemen di halaman ini/);
  expect(proposal).not.toContain('css-1q9x7c2-DivPromo');
  // Focus is on the feature list: choose "catalog" by keyboard, Tab to Save, Enter.
  for (let i = 0; i <= FEATURE_IDS.indexOf('catalog'); i++) await page.keyboard.press('ArrowDown');
  const optionsOpened = extension.context.waitForEvent('page');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  // The options page saves it through the import check and says so; the picker is gone.
  const options = await optionsOpened;
  await expect(options.getByTestId('mine-status')).toContainText('my-rules.tiktok-catalog-1');
  await expect(options.getByTestId('mine-rules')).toContainText('div[data-e2e="promo-banner"][role="button"]');
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(0);

  const reloadedAt = Date.now();
  await page.reload();
  const after = await extension.waitForReport(
    tabId,
    (r) => r.updatedAt >= reloadedAt && r.detections.some((d) => d.ruleId === 'my-rules.tiktok-catalog-1'),
  );
  expect(after.detections.find((d) => d.ruleId === 'my-rules.tiktok-catalog-1')).toMatchObject({
    feature: 'catalog',
    count: 1,
    evidence: 'Promo kilat hari ini',
  });

  // Export, remove the pack, import the exported file: the rule works again.
  const download = options.waitForEvent('download');
  await options.getByRole('button', { name: /Ekspor sebagai paket|Export as pack/ }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  expect(exported).toMatchObject({ name: 'my-rules', rules: [{ id: 'my-rules.tiktok-catalog-1' }] });
  const item = options.getByTestId('pack-list').locator('li', { hasText: 'my-rules' });
  await item.getByRole('button', { name: /Hapus|Remove/ }).click();
  await item.getByRole('button', { name: /Ya, hapus|Yes, remove/ }).click();
  await expect(options.getByTestId('mine-rules')).toHaveCount(0);
  await options.getByTestId('pack-file').setInputFiles(file);
  await expect(options.getByTestId('pack-status')).toContainText(/1 aturan|1 rule/);
  await expect(options.getByTestId('mine-rules')).toContainText('my-rules.tiktok-catalog-1');
  const again = Date.now();
  await page.reload();
  await extension.waitForReport(
    tabId,
    (r) => r.updatedAt >= again && r.detections.some((d) => d.ruleId === 'my-rules.tiktok-catalog-1'),
  );
});

test('Esc cancels the picker and leaves nothing on the page', async ({ pages, extension, openFixture }) => {
  const fixture = pages.find((p) => p.file.endsWith('picker-missed.html'))!;
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.id}/popup.html?tabId=${tabId}`);
  await popup.getByRole('button', { name: /Tandai yang terlewat|Mark what it missed/ }).click();
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(1);
  await page.bringToFront();
  await page.setViewportSize({ width: 360, height: 640 });
  // At 360 px the panel is a bottom sheet across the whole width, at the bottom of the screen.
  await expect.poll(async () => (await shadowBox(page, 'lensa-niaga-picker', 'panel')).width).toBe(360);
  const sheet = await shadowBox(page, 'lensa-niaga-picker', 'panel');
  expect(sheet.x).toBe(0);
  expect(sheet.bottom).toBe(640);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // A key a page script dispatches does nothing; the user's Esc ends it.
  await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('lensa-niaga-picker')).toHaveCount(0);
});

test('"not a shopping feature" on a highlight: the feature is gone after a reload', async ({
  pages,
  extension,
  openFixture,
}) => {
  test.setTimeout(60_000);
  await extension.setAlwaysHighlight(true);
  const fixture = pages.find((p) => p.file.endsWith('tiktok-spa.html'))!;
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.detections.some((d) => d.ruleId === 'tiktok.product-tag'));
  await expect.poll(() => shadowText(page, 'lensa-niaga-highlights')).toMatch(/Bukan fitur belanja/);

  // By keyboard: Tab past the page's own links to the highlight's button, then Enter.
  await page.bringToFront();
  const optionsOpened = extension.context.waitForEvent('page');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.localName === 'lensa-niaga-highlights')) break;
  }
  expect(await page.evaluate(() => document.activeElement?.localName)).toBe('lensa-niaga-highlights');
  await page.keyboard.press('Enter');

  const options = await optionsOpened;
  await expect(options.getByTestId('mine-status')).toContainText('tiktok.product-tag');
  await expect(options.getByTestId('mine-exclusions')).toContainText('a[data-e2e="product-anchor"]');
  const reloadedAt = Date.now();
  await page.reload();
  await extension.waitForReport(tabId, (r) => r.updatedAt >= reloadedAt && r.url === fixture.url);
  await page.waitForTimeout(800);
  expect((await extension.report(tabId)).detections.map((d) => d.ruleId)).not.toContain('tiktok.product-tag');

  // Switched off on the options page, the feature is found again.
  await options.getByTestId('mine-exclusions').getByRole('checkbox').click();
  await expect(options.getByTestId('mine-exclusions').getByRole('checkbox')).not.toBeChecked();
  const again = Date.now();
  await page.reload();
  await extension.waitForReport(
    tabId,
    (r) => r.updatedAt >= again && r.detections.some((d) => d.ruleId === 'tiktok.product-tag'),
  );
});
