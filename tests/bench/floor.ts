/**
 * Configuration E, the floor: the least work any detector of DOM rules must do on a growing feed,
 * built by the bench as a plain MV3 folder (no WXT, no bundler).
 *
 * Its content script observes additions only (MutationObserver childList + subtree) and, on the next
 * animation frame, runs one `matches` and one `querySelectorAll` of the union of every candidate
 * selector of the page's platform (the rules' `selector` fields in rules/platforms/*.json) over
 * each added element, plus one pass over the document at start. It keeps a count and reports
 * nothing: no labels read, no signals tested, no messages. Lensa Niaga (B) is judged against it
 * (`floor_ratio` = B's extension time ÷ E's), so the ratio says what B does beyond finding its
 * candidates.
 *
 * The script runs from `chrome-extension://<id>/content.js`, so tests/bench/trace.ts attributes its
 * time exactly as it does B's. A service worker that does nothing is there only so the bench finds
 * the extension's id the same way for every extension.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hostsToMatchPatterns } from '../../lib/hosts';
import { splitSelectorList } from '../../lib/engine/selectors';
import { readBundledPacks } from '../../scripts/bundled-packs';

interface PackJson {
  platforms?: { id: string; hosts: string[] }[];
  rules?: { platform: string; selector: string }[];
}

export interface FloorPlatform {
  id: string;
  hosts: string[];
  /** Every distinct complex selector of the platform's rules, as one selector list. */
  selector: string;
}

/** The union selector of each bundled platform, from the packs' rules (duplicates dropped). */
export function floorPlatforms(packs: readonly PackJson[] = readBundledPacks<PackJson>()): FloorPlatform[] {
  const out: FloorPlatform[] = [];
  for (const pack of packs) {
    for (const platform of pack.platforms ?? []) {
      const parts = new Set<string>();
      for (const rule of pack.rules ?? [])
        if (rule.platform === platform.id) for (const part of splitSelectorList(rule.selector)) parts.add(part);
      out.push({ id: platform.id, hosts: platform.hosts, selector: [...parts].join(', ') });
    }
  }
  return out;
}

/**
 * The content script. Written as a function so it is type-checked, then serialized into
 * content.js (it must not close over anything: only its argument reaches the page).
 */
function floorScript(cfg: { platforms: { hosts: string[]; selector: string }[]; all: string }): void {
  const host = location.hostname;
  const own = cfg.platforms.find((p) => p.hosts.some((h) => host === h || host.endsWith('.' + h)));
  const selector = own ? own.selector : cfg.all;
  let queue: Element[] = [document.documentElement];
  let found = 0;
  const scan = () => {
    const roots = queue;
    queue = [];
    for (const root of roots) {
      if (!root.isConnected) continue;
      if (root.matches(selector)) found++;
      found += root.querySelectorAll(selector).length;
    }
    // Kept where nothing reads it, so the work cannot be optimised away.
    (globalThis as { __floorFound?: number }).__floorFound = found;
  };
  new MutationObserver((records) => {
    const wasEmpty = queue.length === 0;
    for (const record of records)
      for (const node of record.addedNodes) if (node.nodeType === 1) queue.push(node as Element);
    if (wasEmpty && queue.length > 0) requestAnimationFrame(scan);
  }).observe(document.documentElement, { childList: true, subtree: true });
  requestAnimationFrame(scan);
}

/** Write E's manifest, content script and empty worker into `dir` (replacing what was there). */
export function writeFloorExtension(dir: string): { contentBytes: number; platforms: FloorPlatform[] } {
  const packs = readBundledPacks<PackJson>();
  const platforms = floorPlatforms(packs);
  const all = [...new Set(platforms.flatMap((p) => splitSelectorList(p.selector)))].join(', ');
  const cfg = { platforms: platforms.map((p) => ({ hosts: p.hosts, selector: p.selector })), all };
  const content =
    '// The transpiler may wrap functions in __name(); the script needs no names.\n' +
    'var __name = function (f) { return f; };\n' +
    `(${floorScript.toString()})(${JSON.stringify(cfg)});\n`;
  const manifest = {
    manifest_version: 3,
    name: 'Bench floor (E)',
    version: '1.0.0',
    description: 'Observes additions and runs the union candidate selector; reports nothing.',
    background: { service_worker: 'background.js' },
    content_scripts: [{ matches: hostsToMatchPatterns(packs), js: ['content.js'], run_at: 'document_idle' }],
  };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(resolve(dir, 'content.js'), content);
  writeFileSync(resolve(dir, 'background.js'), '// Only here so the bench finds the extension id from its worker.\n');
  return { contentBytes: Buffer.byteLength(content), platforms };
}
