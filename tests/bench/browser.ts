/**
 * Chromium for the bench, started by hand and driven over CDP.
 *
 * Why not `launchPersistentContext` as the e2e tests do: Playwright turns on focus emulation for
 * the pages it launches, which keeps every tab `visible`, so the hidden-tab measurement would see
 * a visible tab. `connectOverCDP(…, { noDefaults: true })` leaves the default context as the
 * browser has it: a background tab is hidden, as for a real user. We also leave out Playwright's
 * default flags that stop Chromium from throttling background tabs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { launchArgs } from '../e2e/fixtures';

/**
 * CHROMIUM_PATH if set; else the binary behind Debian's /usr/bin/chromium wrapper (the wrapper adds
 * its own flags and prints a stray line); else the wrapper.
 */
function chromiumBinary(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';
}

/** Browsers still running, killed if the bench ends early (an error, Ctrl-C) so none is left behind. */
const live = new Set<ChildProcess>();
const killAll = () => {
  for (const proc of live) proc.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface BenchBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(extensionPaths: string[], viewport = { width: 1280, height: 900 }): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'lensa-bench-'));
  const extensionArgs =
    extensionPaths.length > 0
      ? launchArgs(extensionPaths.join(','))
      : launchArgs('', []).filter(
          (a) => !a.startsWith('--load-extension') && !a.startsWith('--disable-extensions-except'),
        );
  const args = [
    '--headless',
    '--no-sandbox', // the bench runs as root in CI containers
    '--remote-debugging-port=0',
    `--user-data-dir=${userDataDir}`,
    `--window-size=${viewport.width},${viewport.height}`,
    '--lang=id',
    '--password-store=basic',
    '--use-mock-keychain',
    '--mute-audio',
    ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : []),
    ...extensionArgs,
    'about:blank',
  ];
  const proc: ChildProcess = spawn(chromiumBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${buffer}`)), 30_000);
    proc.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolveEndpoint(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${buffer}`));
    });
  });
  proc.stderr!.resume(); // keep draining so Chromium never blocks on a full pipe
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  const context = browser.contexts()[0];
  return {
    browser,
    context,
    async close() {
      const exited = proc.exitCode === null ? new Promise((r) => proc.once('exit', r)) : Promise.resolve();
      // connectOverCDP's close() only disconnects: ask the browser itself to quit first.
      try {
        const session = await browser.newBrowserCDPSession();
        await session.send('Browser.close');
      } catch {
        // already gone
      }
      await browser.close().catch(() => {});
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      // Helper processes may still be flushing the profile for a moment.
      for (let attempt = 0; attempt < 10; attempt++) {
        try {
          rmSync(userDataDir, { recursive: true, force: true });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
  };
}
