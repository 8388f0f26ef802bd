/**
 * The "My rules" section of the options page: rules picked on pages and elements marked "not a
 * shopping feature", each switchable and removable, and the export of the pack.
 *
 * It is also where those are saved: the background keeps a proposal (utils/my-rules-store.ts) and
 * opens this page, which adds it to the My rules pack (lib/my-rules.ts) and installs the pack
 * through `installPack`, the same check every import passes. Every change here is a new version
 * of the pack installed the same way; a refused one changes nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { ImportErrors } from './ImportErrors';
import { MY_RULES_PACK_NAME, addProposal, withExclusion, withRule, without, type Proposal } from '@/lib/my-rules';
import { PLATFORM_NAMES } from '@/lib/platform-names';
import type { Exclusion, RuleInput, RulePack } from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { installPack, type ImportReply } from '@/utils/pack-install';
import {
  installedMyRules,
  readSwitchedOff,
  takeProposals,
  watchProposals,
  writeSwitchedOff,
  type SwitchedOffItems,
} from '@/utils/my-rules-store';
import { featureLabel } from '@/utils/taxonomy-labels';
import { readStoredPacks, removeUserPack, watchUserPacks } from '@/utils/user-packs';
import type { StoredPack } from '@/utils/stored-packs';

type Status =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; text: string }
  | { state: 'refused'; reply: Exclude<ImportReply, { ok: true }> };

interface Loaded {
  entry: StoredPack | null;
  pack: RulePack | null;
  off: SwitchedOffItems;
}

/** Rule ids a new picked rule may not take: bundled, other packs', and switched-off ones. */
async function takenIds(off: SwitchedOffItems): Promise<Set<string>> {
  const ids = new Set(loadBundledPacks().flatMap((p) => p.rules.map((r) => r.id)));
  for (const entry of await readStoredPacks()) {
    const rules = (entry.pack as { rules?: { id?: unknown }[] } | null)?.rules;
    if (Array.isArray(rules)) for (const r of rules) if (typeof r?.id === 'string') ids.add(r.id);
  }
  for (const r of off.rules) ids.add(r.id);
  return ids;
}

/** Install `next`, or remove the installed pack when nothing is left in it. */
async function installOrRemove(next: RulePack | ReturnType<typeof without>, entry: StoredPack | null) {
  if (next) return installPack(JSON.stringify(next));
  if (entry) await removeUserPack(entry.installedAt);
  return { ok: true, ruleCount: 0 } as const;
}

function download(pack: unknown): void {
  const blob = new Blob([`${JSON.stringify(pack, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `lensa-niaga-${MY_RULES_PACK_NAME}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function MyRules() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const section = useRef<HTMLElement>(null);

  async function reload(): Promise<Loaded> {
    const [{ entry, pack }, off] = await Promise.all([installedMyRules(), readSwitchedOff()]);
    const next = { entry, pack, off };
    setLoaded(next);
    return next;
  }

  async function save(proposal: Proposal): Promise<void> {
    setStatus({ state: 'saving' });
    const { pack, off } = await reload();
    const next = addProposal(pack, proposal, loadBundledPacks(), await takenIds(off));
    const reply = await installPack(JSON.stringify(next));
    if (!reply.ok) return setStatus({ state: 'refused', reply });
    const text =
      proposal.kind === 'rule'
        ? i18n.t('options.mine.savedRule', [next.rules[next.rules.length - 1].id])
        : i18n.t('options.mine.savedExclusion', [proposal.ruleId]);
    setStatus({ state: 'saved', text });
    await reload();
  }

  useEffect(() => {
    // Proposals the background kept: on opening, and whenever one arrives while the page is open.
    let busy = Promise.resolve();
    const takeAll = () => {
      busy = busy.then(async () => {
        const proposals = await takeProposals();
        if (proposals.length === 0) return;
        section.current?.scrollIntoView({ block: 'start' });
        section.current?.focus();
        for (const proposal of proposals) await save(proposal);
      });
    };
    void reload();
    takeAll();
    const stopProposals = watchProposals(takeAll);
    const stopPacks = watchUserPacks(browser.runtime.getManifest().version, () => void reload());
    return () => {
      stopProposals();
      stopPacks();
    };
  }, []);

  /** Switch a rule or an exclusion off (out of the pack, into the switched-off list) or on again. */
  async function setOn(item: { rule: RuleInput } | { exclusion: Exclusion }, on: boolean): Promise<void> {
    const { entry, pack, off } = await reload();
    setStatus({ state: 'saving' });
    const isRule = 'rule' in item;
    const sameAs = (x: Exclusion) =>
      !isRule && x.ruleId === item.exclusion.ruleId && x.selector === item.exclusion.selector;
    let reply: ImportReply;
    if (on) {
      const next = isRule ? withRule(pack, item.rule) : withExclusion(pack, item.exclusion);
      reply = await installPack(JSON.stringify(next));
      if (reply.ok) {
        await writeSwitchedOff({
          rules: off.rules.filter((r) => !isRule || r.id !== item.rule.id),
          exclusions: off.exclusions.filter((x) => !sameAs(x)),
        });
      }
    } else {
      if (!pack) return;
      // Kept in the switched-off list first, so a failure never loses it.
      await writeSwitchedOff({
        rules: isRule ? [...off.rules, item.rule] : off.rules,
        exclusions: isRule ? off.exclusions : [...off.exclusions, item.exclusion],
      });
      reply = await installOrRemove(
        without(pack, isRule ? { ruleId: item.rule.id } : { exclusion: item.exclusion }),
        entry,
      );
      if (!reply.ok) await writeSwitchedOff(off);
    }
    setStatus(reply.ok ? { state: 'idle' } : { state: 'refused', reply });
    await reload();
  }

  async function remove(item: { rule: RuleInput } | { exclusion: Exclusion }, on: boolean): Promise<void> {
    const { entry, pack, off } = await reload();
    const isRule = 'rule' in item;
    if (!on) {
      await writeSwitchedOff({
        rules: off.rules.filter((r) => !isRule || r.id !== item.rule.id),
        exclusions: off.exclusions.filter(
          (x) => isRule || x.ruleId !== item.exclusion.ruleId || x.selector !== item.exclusion.selector,
        ),
      });
      await reload();
      return;
    }
    if (!pack) return;
    setStatus({ state: 'saving' });
    const reply = await installOrRemove(
      without(pack, isRule ? { ruleId: item.rule.id } : { exclusion: item.exclusion }),
      entry,
    );
    setStatus(reply.ok ? { state: 'idle' } : { state: 'refused', reply });
    await reload();
  }

  const pack = loaded?.pack ?? null;
  const rules = [
    ...(pack?.rules ?? []).map((rule) => ({ rule, on: true })),
    ...(loaded?.off.rules ?? []).map((rule) => ({ rule, on: false })),
  ];
  const exclusions = [
    ...(pack?.exclusions ?? []).map((exclusion) => ({ exclusion, on: true })),
    ...(loaded?.off.exclusions ?? []).map((exclusion) => ({ exclusion, on: false })),
  ];
  const busy = status.state === 'saving';

  return (
    <section class="ln-mine" id="my-rules" aria-labelledby="ln-mine-heading" ref={section} tabIndex={-1}>
      <h2 id="ln-mine-heading">{i18n.t('options.mine.heading')}</h2>
      <p>{i18n.t('options.mine.intro')}</p>
      <div role="status" aria-live="polite" class="ln-packs__status" data-testid="mine-status">
        <StatusView status={status} />
      </div>
      {loaded?.entry && !loaded.entry.enabled ? (
        <p class="ln-packs__warning">{i18n.t('options.mine.packOff')}</p>
      ) : null}

      <h3>{i18n.t('options.mine.rulesHeading')}</h3>
      {rules.length === 0 ? <p>{i18n.t('options.mine.noRules')}</p> : null}
      {rules.length > 0 ? (
        <ul class="ln-mine__list" data-testid="mine-rules">
          {rules.map(({ rule, on }) => (
            <li key={rule.id} class={on ? 'ln-pack' : 'ln-pack ln-pack--off'}>
              <div class="ln-pack__head">
                <strong>
                  {i18n.t('options.mine.ruleLine', [featureLabel(rule.feature), PLATFORM_NAMES[rule.platform]])}
                </strong>{' '}
                <span class="ln-pack__meta">{rule.id}</span>
              </div>
              <p class="ln-mine__code">
                {i18n.t('options.mine.selector')}: <code>{rule.selector}</code>
              </p>
              {(rule.signals ?? []).map((s, i) => (
                <p key={i} class="ln-mine__code">
                  {i18n.t('options.mine.signal')}: <code>{'pattern' in s ? `${s.kind} /${s.pattern}/` : s.kind}</code>
                </p>
              ))}
              <Actions on={on} busy={busy} onSwitch={(v) => setOn({ rule }, v)} onRemove={() => remove({ rule }, on)} />
            </li>
          ))}
        </ul>
      ) : null}

      <h3>{i18n.t('options.mine.exclusionsHeading')}</h3>
      {exclusions.length === 0 ? <p>{i18n.t('options.mine.noExclusions')}</p> : null}
      {exclusions.length > 0 ? (
        <ul class="ln-mine__list" data-testid="mine-exclusions">
          {exclusions.map(({ exclusion, on }) => (
            <li key={`${exclusion.ruleId} ${exclusion.selector}`} class={on ? 'ln-pack' : 'ln-pack ln-pack--off'}>
              <div class="ln-pack__head">
                <strong>{i18n.t('options.mine.exclusionLine', [exclusion.ruleId])}</strong>
              </div>
              <p class="ln-mine__code">
                {i18n.t('options.mine.selector')}: <code>{exclusion.selector}</code>
              </p>
              <Actions
                on={on}
                busy={busy}
                onSwitch={(v) => setOn({ exclusion }, v)}
                onRemove={() => remove({ exclusion }, on)}
              />
            </li>
          ))}
        </ul>
      ) : null}

      <p>
        <button type="button" disabled={!loaded?.entry} onClick={() => loaded?.entry && download(loaded.entry.pack)}>
          {i18n.t('options.mine.export')}
        </button>
      </p>
      <p class="ln-packs__hint">{i18n.t('options.mine.exportHint')}</p>
    </section>
  );
}

function Actions({
  on,
  busy,
  onSwitch,
  onRemove,
}: {
  on: boolean;
  busy: boolean;
  onSwitch: (on: boolean) => void;
  onRemove: () => void;
}) {
  return (
    <div class="ln-pack__actions">
      <label>
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          onChange={(e) => onSwitch((e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        {i18n.t('options.mine.inUse')}
      </label>
      <button type="button" disabled={busy} onClick={onRemove}>
        {i18n.t('options.mine.remove')}
      </button>
    </div>
  );
}

function StatusView({ status }: { status: Status }) {
  if (status.state === 'idle') return null;
  if (status.state === 'saving') return <p>{i18n.t('options.mine.saving')}</p>;
  if (status.state === 'saved') return <p class="ln-packs__ok">{status.text}</p>;
  const reply = status.reply;
  return <ImportErrors heading={i18n.t('options.mine.refused')} errors={reply.errors} testId="mine-errors" />;
}
