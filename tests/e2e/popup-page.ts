/** Page object for the popup, opened as a page for a given tab (`popup.html?tabId=N`). */
import type { Page } from '@playwright/test';
import type { Extension } from './fixtures';

export class PopupPage {
  constructor(readonly page: Page) {}

  /** Opened at a phone's size by default: what fits here is what a user sees first. */
  static async openFor(extension: Extension, tabId: number, size = { width: 360, height: 600 }): Promise<PopupPage> {
    const page = await extension.context.newPage();
    await page.setViewportSize(size);
    await page.goto(`chrome-extension://${extension.id}/popup.html?tabId=${tabId}`);
    await page.locator('[data-verdict], [role="alert"]').first().waitFor();
    return new PopupPage(page);
  }

  verdict() {
    return this.page.locator('[data-verdict]');
  }

  rows() {
    return this.page.locator('[data-feature]');
  }

  /** Open every folded finding by clicking its summary, as a reader would. */
  async expandAll(): Promise<void> {
    const summaries = this.page.locator('details:not([open]) > summary');
    for (let n = await summaries.count(); n > 0; n = await summaries.count()) await summaries.first().click();
  }

  text(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
