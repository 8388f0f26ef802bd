/**
 * On-page highlights: an outline around each detected element, and its label only while the
 * pointer is over the element or the element has focus (or while the popup's "show on the page"
 * flashes it). A label that is always there covers prices, captions and other labels; shown on
 * demand it sits just outside the outline, above it, or below it at the top of the page so that
 * nothing is cut off.
 *
 * Drawn in a closed shadow root on one host element at the end of <html>, so page CSS cannot
 * reach them and they cannot reach the page. Boxes have `pointer-events: none`: the page's own
 * elements are never moved, restyled or changed.
 *
 * Cost (measured with `npm run bench`): boxes sit in document coordinates (`position: absolute`), so
 * they scroll with the page on the compositor and a scroll of the document costs nothing. Elements
 * inside a fixed container get a fixed box; only sticky elements and elements in inner scrollers
 * need an update on scroll. Positions are read in a ResizeObserver callback, which the browser runs
 * right after its own layout and before paint: reading rects there never forces a layout of the
 * page (reading them in a requestAnimationFrame callback did, right after the page appended a
 * batch of posts, and cost tens of milliseconds per frame). The observer watches the marked
 * elements (a new or resized element gets its box placed), the document (content added above
 * moves things: every box is placed again, at most every RELAYOUT_MS, since an infinite feed
 * grows the document with every batch) and a tiny sentinel box that the layer resizes when it
 * wants every box placed again now.
 */
import type { Category } from '../../rules/schema';

/** The custom element hosting the layer; the detection loop ignores it. */
export const HIGHLIGHT_HOST_TAG = 'lensa-niaga-highlights';

/** Height a label needs above its outline; a box nearer the top of the page gets it below. */
const LABEL_ROOM = 18;

/** Most elements outlined at once; more would cost layout time for little help to a reader. */
export const MAX_HIGHLIGHTS = 150;

/**
 * Shortest time between two passes that place every box because the document changed size. Feeds
 * append below what is marked, so boxes rarely move; a box that does is late by at most this.
 */
export const RELAYOUT_MS = 500;

/** What shows a label: the pointer entering or leaving an element, and keyboard focus. */
const POINT_EVENTS = ['pointerover', 'pointerout', 'focusin', 'focusout'] as const;

const COLORS: Record<Category, string> = {
  transaction: '#c62828',
  offer: '#1565c0',
  'link-out': '#2e7d32',
};

const STYLE = `
:host { all: initial; }
.box { position: absolute; box-sizing: border-box; border: 2px solid var(--c); border-radius: 4px;
  pointer-events: none; z-index: 2147483646; display: none; }
.box.fixed { position: fixed; }
.box.flash { animation: flash 0.5s ease-in-out 3; }
.label { display: flex; align-items: center; gap: 6px; opacity: 0; position: absolute; top: -2px; left: -2px;
  transform: translateY(-100%); max-width: 240px; background: var(--c); color: #fff;
  font: 600 11px/1.4 system-ui, sans-serif; padding: 1px 6px; border-radius: 4px 4px 0 0; white-space: nowrap; }
.name { overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.not { flex: none; font: inherit; color: var(--c); background: #fff; border: 0; border-radius: 3px; padding: 0 4px;
  cursor: pointer; }
.not:focus-visible { outline: 2px solid #ff8f00; outline-offset: 1px; }
.box.below .label { top: auto; bottom: -2px; transform: translateY(100%); border-radius: 0 0 4px 4px; }
.box.show .label, .box:focus-within .label { opacity: 1; pointer-events: auto; }
.sentinel { position: absolute; top: 0; left: 0; height: 0; width: 0; visibility: hidden; }
@keyframes flash { 50% { box-shadow: 0 0 0 6px var(--c); } }
@media (prefers-reduced-motion: reduce) { .box.flash { animation: none; outline: 4px solid var(--c); } }
`;

/** How a box follows its element. */
interface Anchoring {
  /**
   * Inside a fixed container: a fixed box in viewport coordinates stays along by itself. Otherwise
   * an absolute box in document coordinates scrolls along with the document by itself.
   */
  fixed: boolean;
  /** Sticky, or inside an inner scroller: the box needs a new position after a scroll. */
  scrolls: boolean;
}

interface Mark {
  element: Element;
  ruleId: string;
  box: HTMLElement;
  anchoring: Anchoring | null;
  /** Last written geometry, so an unchanged box is not touched. */
  last: string;
}

export class HighlightLayer {
  private host: HTMLElement | null = null;
  private root: ShadowRoot | null = null;
  private sentinel: HTMLElement | null = null;
  private marks: Mark[] = [];
  private observer: ResizeObserver | null = null;
  private relayoutTimer: ReturnType<typeof setTimeout> | null = null;
  private framePending = false;
  private scrollMarks = 0;
  private readonly onScroll = () => {
    // Scrolling moves document- and fixed-anchored boxes along with no help from us.
    if (this.scrollMarks > 0) this.requestLayout();
  };
  /** The label of the element under the pointer or with focus is shown; every other is hidden. */
  private shown: Mark | null = null;
  private readonly onPoint = (event: Event) => {
    const target = event.target;
    // Onto or within our own label (its button): keep the label that is shown.
    const related = (event as FocusEvent).relatedTarget;
    if (target === this.host || ((event.type === 'pointerout' || event.type === 'focusout') && related === this.host))
      return;
    const mark =
      event.type === 'pointerout' || event.type === 'focusout' || !(target instanceof Node)
        ? null
        : (this.marks.find((m) => m.element === target || m.element.contains(target)) ?? null);
    this.show(mark);
  };

  constructor(
    private readonly doc: Document,
    private readonly requestFrame: (cb: () => void) => unknown,
    /**
     * "Not a shopping feature" on each label: its text, and what a click does. The label stays
     * shown while the pointer is on it; the button is also reached with Tab (the label shows
     * while it has focus). Without it, labels have no control.
     */
    private readonly notShopping: { text: string; onChoose(element: Element, ruleId: string): void } | null = null,
  ) {}

  add(element: Element, ruleId: string, category: Category, label: string): void {
    if (this.marks.length >= MAX_HIGHLIGHTS) return;
    if (this.marks.some((m) => m.element === element && m.ruleId === ruleId)) return;
    const root = this.ensureRoot();
    const box = this.doc.createElement('div');
    box.className = 'box';
    box.style.setProperty('--c', COLORS[category]);
    const tag = this.doc.createElement('span');
    tag.className = 'label';
    const name = this.doc.createElement('span');
    name.className = 'name';
    name.textContent = label; // text only: labels come from our locale files, never from the page
    tag.append(name);
    if (this.notShopping) {
      const { text, onChoose } = this.notShopping;
      const button = this.doc.createElement('button');
      button.type = 'button';
      button.className = 'not';
      button.textContent = text;
      button.setAttribute('aria-label', `${text}: ${label}`);
      button.addEventListener('click', (event) => {
        // A page script cannot click inside a closed shadow root, but it can dispatch events.
        if (!event.isTrusted) return;
        event.stopPropagation();
        this.remove(element, ruleId);
        onChoose(element, ruleId);
      });
      tag.append(button);
    }
    box.append(tag);
    root.append(box);
    this.marks.push({ element, ruleId, box, anchoring: null, last: '' });
    // Its first observation arrives after the next layout: that is when the box gets its place.
    if (this.observer) this.observer.observe(element);
    else this.requestLayout();
  }

  /** Scroll to the first live element of a rule and flash its box. */
  reveal(ruleId: string): boolean {
    const mark = this.marks.find((m) => m.ruleId === ruleId && m.element.isConnected);
    if (!mark) return false;
    mark.element.scrollIntoView({ block: 'center', behavior: 'smooth' });
    mark.box.classList.remove('flash');
    void mark.box.offsetWidth; // restart the animation
    mark.box.classList.add('flash');
    this.show(mark);
    this.requestLayout();
    return true;
  }

  /** Remove one element's mark for one rule (marked "not a shopping feature"). */
  remove(element: Element, ruleId: string): void {
    const at = this.marks.findIndex((m) => m.element === element && m.ruleId === ruleId);
    if (at < 0) return;
    const [mark] = this.marks.splice(at, 1);
    mark.box.remove();
    if (this.shown === mark) this.shown = null;
    if (!this.marks.some((m) => m.element === element)) this.observer?.unobserve(element);
    if (this.marks.length === 0) this.clear();
  }

  clear(): void {
    this.marks = [];
    this.scrollMarks = 0;
    this.observer?.disconnect();
    this.observer = null;
    if (this.relayoutTimer !== null) clearTimeout(this.relayoutTimer);
    this.relayoutTimer = null;
    this.host?.remove();
    this.host = null;
    this.root = null;
    this.sentinel = null;
    this.shown = null;
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.onScroll, true);
    for (const type of POINT_EVENTS) view?.removeEventListener(type, this.onPoint, true);
  }

  private show(mark: Mark | null): void {
    if (mark === this.shown) return;
    this.shown?.box.classList.remove('show');
    mark?.box.classList.add('show');
    this.shown = mark;
  }

  get size(): number {
    return this.marks.length;
  }

  private ensureRoot(): ShadowRoot {
    if (this.root && this.host?.isConnected) return this.root;
    this.observer?.disconnect();
    this.host = this.doc.createElement(HIGHLIGHT_HOST_TAG);
    // The origin that box coordinates are measured from; page CSS cannot move it.
    for (const [name, value] of [
      ['position', 'absolute'],
      ['top', '0'],
      ['left', '0'],
      ['width', '0'],
      ['height', '0'],
      ['z-index', '2147483646'],
    ]) {
      this.host.style.setProperty(name, value, 'important');
    }
    this.root = this.host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    this.sentinel = this.doc.createElement('div');
    this.sentinel.className = 'sentinel';
    this.root.append(style, this.sentinel);
    for (const m of this.marks) this.root.append(m.box);
    this.doc.documentElement.append(this.host);
    const Observer = this.doc.defaultView?.ResizeObserver;
    if (Observer) {
      this.observer = new Observer((entries) => this.onResize(entries));
      this.observer.observe(this.doc.documentElement);
      this.observer.observe(this.sentinel);
      for (const m of this.marks) this.observer.observe(m.element);
    }
    const view = this.doc.defaultView;
    view?.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    for (const type of POINT_EVENTS) view?.addEventListener(type, this.onPoint, { capture: true, passive: true });
    return this.root;
  }

  /**
   * Ask for a layout pass. With a ResizeObserver: resize the sentinel, and the observer calls back
   * after the browser's next layout. Without one (old engines, test DOMs): on the next frame.
   */
  private requestLayout(): void {
    if (this.observer && this.sentinel) {
      this.sentinel.style.width = this.sentinel.style.width === '1px' ? '0px' : '1px';
      return;
    }
    if (this.framePending) return;
    this.framePending = true;
    this.requestFrame(() => {
      this.framePending = false;
      this.layout();
    });
  }

  /** Called after the browser's layout: place the boxes whose elements changed, or all of them. */
  private onResize(entries: ResizeObserverEntry[]): void {
    let all = false;
    let documentResized = false;
    const changed = new Set<Element>();
    for (const entry of entries) {
      if (entry.target === this.sentinel) all = true;
      else if (entry.target === this.doc.documentElement) documentResized = true;
      else changed.add(entry.target);
    }
    if (all) return this.layout();
    if (changed.size > 0) this.layout(changed);
    if (documentResized && this.relayoutTimer === null) {
      this.relayoutTimer = setTimeout(() => {
        this.relayoutTimer = null;
        if (this.host) this.requestLayout();
      }, RELAYOUT_MS);
    }
  }

  /** Place the boxes of `only` (every box when absent). */
  private layout(only?: Set<Element>): void {
    if (!this.host) return;
    this.marks = this.marks.filter((m) => {
      if (m.element.isConnected) return true;
      m.box.remove();
      this.observer?.unobserve(m.element);
      return false;
    });
    const marks = only ? this.marks.filter((m) => only.has(m.element)) : this.marks;
    if (marks.length === 0) return;
    // Read everything first, then write: one layout at most (none inside a ResizeObserver callback).
    const origin = this.host.getBoundingClientRect();
    const rects = marks.map((m) => m.element.getBoundingClientRect());
    for (const m of marks) m.anchoring ??= this.anchoringOf(m.element);
    this.scrollMarks = this.marks.filter((m) => m.anchoring?.scrolls).length;
    marks.forEach((m, i) => {
      const r = rects[i];
      const visible = r.width > 0 && r.height > 0;
      const fixed = m.anchoring!.fixed;
      const left = fixed ? r.left : r.left - origin.left;
      const top = fixed ? r.top : r.top - origin.top;
      const geometry = visible ? `${left}|${top}|${r.width}|${r.height}|${fixed}` : 'hidden';
      if (geometry === m.last) return;
      m.last = geometry;
      m.box.style.display = visible ? 'block' : 'none';
      if (!visible) return;
      m.box.classList.toggle('fixed', fixed);
      // Above the outline there must be room inside the page (document top, or the viewport's).
      m.box.classList.toggle('below', top < LABEL_ROOM);
      m.box.style.left = `${left}px`;
      m.box.style.top = `${top}px`;
      m.box.style.width = `${r.width}px`;
      m.box.style.height = `${r.height}px`;
    });
  }

  /** Whether a box for `el` must be fixed, and whether it must follow scrolls. */
  private anchoringOf(el: Element): Anchoring {
    const view = this.doc.defaultView;
    const anchoring: Anchoring = { fixed: false, scrolls: false };
    if (!view) return anchoring;
    for (let a: Element | null = el; a && a !== this.doc.documentElement; a = a.parentElement) {
      const style = view.getComputedStyle(a);
      if (style.position === 'fixed') {
        anchoring.fixed = true;
        break;
      }
      if (style.position === 'sticky') anchoring.scrolls = true;
      // An ancestor that really scrolls (not just `overflow-x: hidden` on <body>, which turns
      // overflow-y into auto without making it a scroller).
      else if (
        a !== el &&
        /(auto|scroll|overlay)/.test(style.overflowX + style.overflowY) &&
        (a.scrollHeight > a.clientHeight || a.scrollWidth > a.clientWidth)
      ) {
        anchoring.scrolls = true;
      }
    }
    return anchoring;
  }
}
