/**
 * The element picker's page UI: an outline around the element under the pointer (or reached by
 * keyboard), and a panel with the proposed rule, the feature to choose, how many elements of this
 * page the rule finds, and Save / Cancel. At 480 px and less the panel is a bottom sheet.
 *
 * Everything lives in one closed shadow root on one host element, added when the picker starts
 * and removed with its listeners when it ends: the page cannot read what is picked or proposed,
 * and nothing of the picker stays behind. Only trusted input counts (a page script can dispatch
 * key and pointer events, but not trusted ones), and page elements are never written to.
 *
 *   choose: pointer / arrows ─▶ outline ─▶ click / Enter ─▶ propose: proposeRule ─▶ engine count
 *                                                           ─▶ Save ─▶ myrules:propose ─▶ background
 */
import { i18n } from '#i18n';
import { compilePacks, domSelectorCheck } from '../../lib/engine';
import { ruleFromProposal, type RuleProposal as Proposed } from '../../lib/my-rules';
import { proposeRule } from '../../lib/selector-proposal';
import {
  CATEGORY_IDS,
  ENGINE_VERSION,
  FEATURE_IDS,
  RulePack,
  categoryOf,
  validate,
  type FeatureKind,
  type PlatformId,
  type RulePack as RulePackType,
} from '../../rules/schema';
import { categoryLabel, featureLabel } from '../../utils/taxonomy-labels';
import { KEY_STEPS, step, type Step } from './navigate';

export const PICKER_HOST_TAG = 'lensa-niaga-picker';

const STYLE = `
:host { all: initial; }
* { box-sizing: border-box; }
.shield { position: fixed; inset: 0; z-index: 2147483645; cursor: crosshair; background: transparent; }
.propose .shield { cursor: default; background: rgba(0, 0, 0, 0.08); }
.outline { position: fixed; z-index: 2147483646; pointer-events: none; border: 2px solid #6a1b9a;
  background: rgba(106, 27, 154, 0.12); border-radius: 3px; display: none; }
.panel { position: fixed; right: 16px; bottom: 16px; width: 360px; max-height: calc(100vh - 32px);
  overflow: auto; z-index: 2147483647; background: #fff; color: #1a1a1a; border: 1px solid #6a1b9a;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.3); padding: 12px 14px;
  font: 14px/1.45 system-ui, sans-serif; }
@media (max-width: 480px) {
  .panel { left: 0; right: 0; bottom: 0; width: auto; max-height: 65vh; border-radius: 12px 12px 0 0;
    border-width: 1px 0 0; }
}
@media (prefers-color-scheme: dark) {
  .panel { background: #1f1b24; color: #f1edf5; }
  code, input, select { background: #2c2733; color: #f1edf5; }
}
h2 { font-size: 16px; margin: 0 0 6px; }
p { margin: 6px 0; }
code { font: 12px/1.4 ui-monospace, monospace; word-break: break-all; background: #f3eef7; padding: 1px 4px;
  border-radius: 3px; }
label { display: block; font-weight: 600; margin-top: 8px; }
input, select { display: block; width: 100%; min-height: 44px; font: inherit; margin-top: 4px; padding: 4px 8px;
  border: 1px solid #888; border-radius: 6px; }
input { font: 13px ui-monospace, monospace; }
.row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 10px; }
button { min-height: 44px; min-width: 44px; font: inherit; padding: 6px 12px; border-radius: 6px;
  border: 1px solid #6a1b9a; background: #fff; color: #4a148c; cursor: pointer; }
button.primary { background: #6a1b9a; color: #fff; }
button:disabled { opacity: 0.5; cursor: not-allowed; }
button:focus-visible, input:focus-visible, select:focus-visible, .panel:focus-visible {
  outline: 3px solid #ff8f00; outline-offset: 2px; }
.hint { font-size: 12px; opacity: 0.8; }
.warn { color: #b71c1c; font-weight: 600; }
`;

export interface PickerDeps {
  platform: PlatformId;
  bundled: readonly RulePackType[];
  /** Sends the proposal to the background; resolves to an error message, or null when kept. */
  save(proposal: Proposed): Promise<string | null>;
  /** Called once the picker has removed itself. */
  onEnd(): void;
}

type Phase =
  | { kind: 'choose' }
  | {
      kind: 'propose';
      proposal: ReturnType<typeof proposeRule>;
      feature: FeatureKind | null;
      saving: boolean;
      error: string;
    };

export class Picker {
  private readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly wrap: HTMLElement;
  private readonly outline: HTMLElement;
  private readonly panel: HTMLElement;
  private current: Element | null = null;
  private phase: Phase = { kind: 'choose' };
  private frame = 0;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly doc: Document,
    private readonly deps: PickerDeps,
  ) {
    this.host = doc.createElement(PICKER_HOST_TAG);
    this.root = this.host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    this.wrap = doc.createElement('div');
    const shield = doc.createElement('div');
    shield.className = 'shield';
    this.outline = doc.createElement('div');
    this.outline.className = 'outline';
    this.panel = doc.createElement('div');
    this.panel.className = 'panel';
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-modal', 'true');
    this.panel.setAttribute('aria-labelledby', 'ln-picker-title');
    this.panel.tabIndex = -1;
    this.wrap.append(shield, this.outline, this.panel);
    this.root.append(style, this.wrap);

    const view = doc.defaultView!;
    this.listen(shield, 'pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen(shield, 'click', (e) => this.onShieldClick(e as MouseEvent));
    this.listen(this.root, 'keydown', (e) => this.onKey(e as KeyboardEvent, true));
    // Keys pressed while the page has focus (before the panel got it, or after a click elsewhere).
    this.listen(view, 'keydown', (e) => e.target !== this.host && this.onKey(e as KeyboardEvent, false), true);
    this.listen(view, 'scroll', () => this.placeOutline(), true);
    this.listen(view, 'resize', () => this.placeOutline());
  }

  private listen(target: EventTarget, type: string, handler: (e: Event) => unknown, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.cleanups.push(() => target.removeEventListener(type, handler, capture));
  }

  start(): void {
    this.doc.documentElement.append(this.host);
    const view = this.doc.defaultView!;
    const center = this.doc.elementFromPoint(view.innerWidth / 2, view.innerHeight / 3);
    this.select(
      center && center !== this.host && center.localName !== 'html' ? center : this.doc.body.firstElementChild,
    );
    this.render();
    this.panel.focus();
  }

  /** Remove everything: the host, its shadow root and every listener. */
  end(): void {
    if (!this.host.isConnected) return;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    cancelAnimationFrame(this.frame);
    this.host.remove();
    this.deps.onEnd();
  }

  private select(el: Element | null): void {
    this.current = el;
    this.placeOutline();
  }

  private placeOutline(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const el = this.current;
      if (!el?.isConnected) {
        this.outline.style.display = 'none';
        return;
      }
      const r = el.getBoundingClientRect();
      Object.assign(this.outline.style, {
        display: 'block',
        left: `${r.left}px`,
        top: `${r.top}px`,
        width: `${r.width}px`,
        height: `${r.height}px`,
      });
    });
  }

  private elementAt(x: number, y: number): Element | null {
    return this.doc.elementsFromPoint(x, y).find((el) => el !== this.host && el.localName !== 'html') ?? null;
  }

  private onPointerMove(e: PointerEvent): void {
    if (!e.isTrusted || this.phase.kind !== 'choose') return;
    const el = this.elementAt(e.clientX, e.clientY);
    if (el && el !== this.current) {
      this.select(el);
      this.renderCurrent();
    }
  }

  private onShieldClick(e: MouseEvent): void {
    if (!e.isTrusted || this.phase.kind !== 'choose') return;
    e.preventDefault();
    const el = this.elementAt(e.clientX, e.clientY);
    if (el) {
      this.select(el);
      this.choose();
    }
  }

  /** `inPanel`: the key was pressed with focus in the panel (the target is then one of ours). */
  private onKey(e: KeyboardEvent, inPanel: boolean): void {
    if (!e.isTrusted) return;
    const target = inPanel ? (e.target as Element) : null;
    const control = target !== null && /^(button|input|select)$/.test(target.localName);
    let handled = true;
    if (e.key === 'Escape') this.end();
    else if (e.key === 'Tab' && inPanel) handled = this.trapTab(e);
    else if (this.phase.kind === 'choose' && !control && KEY_STEPS[e.key]) this.move(KEY_STEPS[e.key]);
    else if (this.phase.kind === 'choose' && !control && e.key === 'Enter') this.choose();
    else handled = !inPanel; // keys for the page go nowhere while the picker runs
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  /** Tab and Shift+Tab stay inside the panel. */
  private trapTab(e: KeyboardEvent): boolean {
    const focusable = [...this.panel.querySelectorAll<HTMLElement>('button, input, select')].filter(
      (el) => !(el as HTMLButtonElement).disabled,
    );
    if (focusable.length === 0) return true;
    const active = this.root.activeElement;
    const at = focusable.indexOf(active as HTMLElement);
    if (e.shiftKey && at <= 0) focusable[focusable.length - 1].focus();
    else if (!e.shiftKey && at === focusable.length - 1) focusable[0].focus();
    else return false;
    return true;
  }

  private move(direction: Step): void {
    if (!this.current) return;
    this.select(step(this.current, direction, this.host));
    this.current?.scrollIntoView({ block: 'nearest' });
    this.renderCurrent();
  }

  private choose(): void {
    if (!this.current) return;
    const proposal = proposeRule(this.current, this.doc.location.href);
    this.phase = { kind: 'propose', proposal, feature: null, saving: false, error: '' };
    this.render();
    this.root.querySelector<HTMLElement>('select')?.focus();
  }

  /** The rule as it would be saved, with the proposal's current selector and feature. */
  private proposed(): Proposed | null {
    if (this.phase.kind !== 'propose' || !this.phase.feature) return null;
    const { proposal, feature } = this.phase;
    return {
      kind: 'rule',
      platform: this.deps.platform,
      feature,
      selector: proposal.selector,
      signals: proposal.signals,
      evidence: proposal.evidence,
    };
  }

  /** Elements of this page the rule finds, run by the extension's own engine; null if it cannot run. */
  private matches(): Element[] | null {
    if (this.phase.kind !== 'propose') return null;
    const { proposal, feature } = this.phase;
    const proposed: Proposed = {
      kind: 'rule',
      platform: this.deps.platform,
      feature: feature ?? 'product-tag',
      selector: proposal.selector,
      signals: proposal.signals,
      evidence: proposal.evidence,
    };
    // The rule exactly as it would be saved, validated as a pack, run on this page alone.
    const checked = validate(RulePack, {
      name: 'picked',
      version: '1.0.0',
      engine: ENGINE_VERSION,
      platforms: this.deps.bundled.flatMap((p) => p.platforms).filter((p) => p.id === this.deps.platform),
      redirectors: this.deps.bundled.flatMap((p) => p.redirectors),
      rules: [ruleFromProposal(proposed, 'picked.rule', this.deps.bundled)],
    });
    if (!checked.ok) return null;
    const pack = checked.value;
    const engine = compilePacks([pack], { checkSelector: domSelectorCheck(this.doc) });
    if (engine.problems.length) return null;
    const matcher = engine.forPage(this.doc.location.href);
    return matcher ? matcher.scan(this.doc.body).map((h) => h.element) : null;
  }

  private async save(): Promise<void> {
    const proposal = this.proposed();
    if (!proposal || this.phase.kind !== 'propose') return;
    this.phase.saving = true;
    this.render();
    const error = await this.deps.save(proposal);
    if (error === null) return this.end();
    if (this.phase.kind === 'propose') {
      this.phase.saving = false;
      this.phase.error = error;
    }
    this.render();
  }

  private el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
    const node = this.doc.createElement(tag);
    if (text !== undefined) node.textContent = text; // text only: page text is never markup here
    if (cls) node.className = cls;
    return node;
  }

  private button(text: string, onClick: () => void, primary = false): HTMLButtonElement {
    const b = this.el('button', text, primary ? 'primary' : undefined);
    b.type = 'button';
    b.addEventListener('click', (e) => e.isTrusted && onClick());
    return b;
  }

  /** The choose phase's line naming the element under the outline. */
  private renderCurrent(): void {
    const line = this.panel.querySelector('[data-current]');
    if (!line || !this.current) return;
    line.replaceChildren(
      this.el('span', i18n.t('picker.current')),
      ' ',
      this.el('code', proposeRule(this.current, this.doc.location.href).selector),
    );
  }

  private render(): void {
    this.wrap.className = this.phase.kind;
    const title = this.el('h2', i18n.t('picker.title'));
    title.id = 'ln-picker-title';
    const nodes: Node[] = [title];
    if (this.phase.kind === 'choose') {
      const current = this.el('p');
      current.setAttribute('data-current', '');
      current.setAttribute('aria-live', 'polite');
      nodes.push(this.el('p', i18n.t('picker.intro')), current);
      const steps = this.el('div', undefined, 'row');
      for (const [direction, key] of [
        ['parent', 'picker.parent'],
        ['child', 'picker.child'],
        ['previous', 'picker.previous'],
        ['next', 'picker.next'],
      ] as const) {
        steps.append(this.button(i18n.t(key), () => this.move(direction)));
      }
      const actions = this.el('div', undefined, 'row');
      actions.append(
        this.button(i18n.t('picker.choose'), () => this.choose(), true),
        this.button(i18n.t('picker.cancel'), () => this.end()),
      );
      nodes.push(steps, actions, this.el('p', i18n.t('picker.private'), 'hint'));
      this.panel.replaceChildren(...nodes);
      this.renderCurrent();
      return;
    }
    nodes.push(...this.proposalNodes(this.phase));
    this.panel.replaceChildren(...nodes);
  }

  private proposalNodes(phase: Extract<Phase, { kind: 'propose' }>): Node[] {
    const nodes: Node[] = [];
    const selectorLabel = this.el('label', i18n.t('picker.selector'));
    const input = this.el('input');
    input.id = 'ln-picker-selector';
    selectorLabel.htmlFor = input.id;
    input.value = phase.proposal.selector;
    input.spellcheck = false;
    input.addEventListener('change', () => {
      phase.proposal = { ...phase.proposal, selector: input.value.trim() };
      this.render();
      this.root.querySelector<HTMLElement>('#ln-picker-selector')?.focus();
    });
    nodes.push(selectorLabel, input, this.el('p', i18n.t('picker.selectorHint'), 'hint'));

    const signal = phase.proposal.signalKind;
    nodes.push(
      this.el(
        'p',
        signal === 'link'
          ? i18n.t('picker.signalLink', [phase.proposal.signalShown])
          : signal === 'text'
            ? i18n.t('picker.signalText', [phase.proposal.signalShown])
            : i18n.t('picker.signalNone'),
      ),
    );

    const featureLabelEl = this.el('label', i18n.t('picker.feature'));
    const select = this.el('select');
    select.id = 'ln-picker-feature';
    featureLabelEl.htmlFor = select.id;
    const none = this.el('option', i18n.t('picker.choosePlaceholder'));
    none.value = '';
    select.append(none);
    for (const category of CATEGORY_IDS) {
      const group = this.el('optgroup');
      group.label = categoryLabel(category);
      for (const feature of FEATURE_IDS.filter((f) => categoryOf(f) === category)) {
        const option = this.el('option', featureLabel(feature));
        option.value = feature;
        option.selected = feature === phase.feature;
        group.append(option);
      }
      select.append(group);
    }
    select.addEventListener('change', () => {
      phase.feature = (select.value || null) as FeatureKind | null;
      this.render();
      this.root.querySelector<HTMLElement>('#ln-picker-feature')?.focus();
    });
    nodes.push(featureLabelEl, select);

    const found = this.matches();
    const count = this.el('p');
    count.setAttribute('role', 'status');
    count.setAttribute('data-count', String(found?.length ?? -1));
    if (found === null) count.append(this.el('span', i18n.t('picker.badSelector'), 'warn'));
    else {
      count.textContent = i18n.t('picker.matches', found.length, [String(found.length)]);
      if (this.current && !found.includes(this.current))
        count.append(' ', this.el('span', i18n.t('picker.notPicked'), 'warn'));
    }
    nodes.push(count);
    if (phase.error) nodes.push(this.el('p', i18n.t('picker.failed', [phase.error]), 'warn'));

    const actions = this.el('div', undefined, 'row');
    const save = this.button(
      phase.saving ? i18n.t('picker.saving') : i18n.t('picker.save'),
      () => void this.save(),
      true,
    );
    save.disabled = phase.saving || !phase.feature || !found || found.length === 0;
    actions.append(
      save,
      this.button(i18n.t('picker.again'), () => {
        this.phase = { kind: 'choose' };
        this.render();
        this.panel.focus();
      }),
      this.button(i18n.t('picker.cancel'), () => this.end()),
    );
    nodes.push(actions, this.el('p', i18n.t('picker.private'), 'hint'));
    return nodes;
  }
}
