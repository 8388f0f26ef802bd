/**
 * Rules of imported packs that the content script's time guard switched off because they took too
 * long on a page (lib/engine/rule-guard.ts), kept in `storage.local` until the user switches them
 * on again on the options page. The content script leaves them out of every page.
 *
 * Read by the content script too: nothing here pulls in the schema library.
 *
 * A record says which rule, of which pack, on which platform and host (never the page's path: it
 * can name a person) and why: the time it spent against its budget.
 */
import { storage } from 'wxt/utils/storage';
import type { PlatformId } from '../rules/schema';
import { readStoredPacks } from './user-packs';
import { MAX_RECORDS, SWITCHED_OFF_RULES_KEY, clean, type SwitchedOffRule } from './switched-off-records';

export const switchedOffRulesItem = storage.defineItem<SwitchedOffRule[]>(`local:${SWITCHED_OFF_RULES_KEY}`, {
  fallback: [],
  version: 1,
});

export async function listSwitchedOffRules(): Promise<SwitchedOffRule[]> {
  return clean(await switchedOffRulesItem.getValue());
}

/** Calls `cb` with the new list whenever it changes (in any extension context). */
export function watchSwitchedOffRules(cb: (rules: SwitchedOffRule[]) => void): () => void {
  return switchedOffRulesItem.watch((next) => cb(clean(next)));
}

/** Changes in this context are applied one after another, so two never read the same old list. */
let queue: Promise<unknown> = Promise.resolve();

function update(change: (rules: SwitchedOffRule[]) => SwitchedOffRule[]): Promise<SwitchedOffRule[]> {
  const run = queue.then(async () => {
    const next = change(await listSwitchedOffRules()).slice(-MAX_RECORDS);
    await switchedOffRulesItem.setValue(next);
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}

export interface SlowReport {
  ruleIds: string[];
  platform: PlatformId;
  host: string;
  spentMs: number;
  budgetMs: number;
  windowMs: number;
}

/**
 * Record rules the guard switched off. Only ids of rules in installed user packs are kept (the
 * sender is a content script, which a page can reach: it must not switch off anything else, nor
 * fill the list with made-up ids). A rule already switched off keeps its first record. Returns
 * how many rules were added.
 */
export async function recordSlowRules(report: SlowReport, now: number): Promise<number> {
  const packOf = new Map<string, string>();
  for (const entry of await readStoredPacks()) {
    const pack = entry.pack as { name?: unknown; rules?: unknown } | null;
    if (typeof pack?.name !== 'string' || !Array.isArray(pack.rules)) continue;
    for (const rule of pack.rules as { id?: unknown; platform?: unknown }[]) {
      if (typeof rule?.id === 'string' && rule.platform === report.platform) packOf.set(rule.id, pack.name);
    }
  }
  let added = 0;
  await update((rules) => {
    added = 0;
    const known = new Set(rules.map((r) => r.ruleId));
    const next = rules.slice();
    for (const ruleId of new Set(report.ruleIds)) {
      const pack = packOf.get(ruleId);
      if (pack === undefined || known.has(ruleId)) continue;
      next.push({
        ruleId,
        pack,
        platform: report.platform,
        host: report.host,
        spentMs: Math.round(report.spentMs),
        budgetMs: report.budgetMs,
        windowMs: report.windowMs,
        at: now,
      });
      added++;
    }
    return next;
  });
  return added;
}

/** Switch a rule on again: it runs on pages opened or reloaded afterwards. */
export function switchRuleOnAgain(ruleId: string): Promise<SwitchedOffRule[]> {
  return update((rules) => rules.filter((r) => r.ruleId !== ruleId));
}
