/**
 * On-page highlights: an outline and a small label over each detected element.
 *
 * Drawn in a closed shadow root on one host element at the end of <html>, so page CSS cannot
 * reach them and they cannot reach the page. Boxes are `position: fixed` overlays with
 * `pointer-events: none`: the page's own elements are never moved, restyled or changed.
 * Positions are recomputed at most once per frame, on scroll and resize, for at most
 * MAX_HIGHLIGHTS elements (read all rects, then write all styles: one layout per frame).
 */
import type { Category } from '../rules/schema';

/** The custom element hosting the layer; the detection loop ignores it. */
export const HIGHLIGHT_HOST_TAG = 'lensa-niaga-highlights';

/** Most elements outlined at once; more would cost layout time for little help to a reader. */
export const MAX_HIGHLIGHTS = 150;

const COLORS: Record<Category, string> = {
  transaction: '#c62828',
  offer: '#1565c0',
  'link-out': '#2e7d32',
};

const STYLE = `
:host { all: initial; }
.box { position: fixed; box-sizing: border-box; border: 2px solid var(--c); border-radius: 4px;
  pointer-events: none; z-index: 2147483646; }
.box.flash { animation: flash 0.5s ease-in-out 3; }
.label { position: absolute; top: -1px; left: -1px; transform: translateY(-100%); max-width: 240px;
  background: var(--c); color: #fff; font: 600 11px/1.4 system-ui, sans-serif; padding: 1px 6px;
  border-radius: 4px 4px 0 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
@keyframes flash { 50% { box-shadow: 0 0 0 6px var(--c); } }
@media (prefers-reduced-motion: reduce) { .box.flash { animation: none; outline: 4px solid var(--c); } }
`;

interface Mark {
  element: Element;
  ruleId: string;
  box: HTMLElement;
}

export class HighlightLayer {
  private host: HTMLElement | null = null;
  private root: ShadowRoot | null = null;
  private marks: Mark[] = [];
  private framePending = false;
  private readonly onViewportChange = () => this.requestLayout();

  constructor(
    private readonly doc: Document,
    private readonly requestFrame: (cb: () => void) => unknown,
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
    tag.textContent = label; // text only: labels come from our locale files, never from the page
    box.append(tag);
    root.append(box);
    this.marks.push({ element, ruleId, box });
    this.requestLayout();
  }

  /** Scroll to the first live element of a rule and flash its box. */
  reveal(ruleId: string): boolean {
    const mark = this.marks.find((m) => m.ruleId === ruleId && m.element.isConnected);
    if (!mark) return false;
    mark.element.scrollIntoView({ block: 'center', behavior: 'smooth' });
    mark.box.classList.remove('flash');
    void mark.box.offsetWidth; // restart the animation
    mark.box.classList.add('flash');
    this.requestLayout();
    return true;
  }

  clear(): void {
    this.marks = [];
    this.host?.remove();
    this.host = null;
    this.root = null;
    const win = this.doc.defaultView;
    win?.removeEventListener('scroll', this.onViewportChange, true);
    win?.removeEventListener('resize', this.onViewportChange);
  }

  get size(): number {
    return this.marks.length;
  }

  private ensureRoot(): ShadowRoot {
    if (this.root && this.host?.isConnected) return this.root;
    this.host = this.doc.createElement(HIGHLIGHT_HOST_TAG);
    this.root = this.host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    this.root.append(style);
    for (const m of this.marks) this.root.append(m.box);
    this.doc.documentElement.append(this.host);
    const win = this.doc.defaultView;
    win?.addEventListener('scroll', this.onViewportChange, { capture: true, passive: true });
    win?.addEventListener('resize', this.onViewportChange, { passive: true });
    return this.root;
  }

  private requestLayout(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.requestFrame(() => {
      this.framePending = false;
      this.layout();
    });
  }

  private layout(): void {
    this.marks = this.marks.filter((m) => {
      if (m.element.isConnected) return true;
      m.box.remove();
      return false;
    });
    const rects = this.marks.map((m) => m.element.getBoundingClientRect());
    this.marks.forEach((m, i) => {
      const r = rects[i];
      const visible = r.width > 0 && r.height > 0;
      m.box.style.display = visible ? 'block' : 'none';
      if (!visible) return;
      m.box.style.left = `${r.left}px`;
      m.box.style.top = `${r.top}px`;
      m.box.style.width = `${r.width}px`;
      m.box.style.height = `${r.height}px`;
    });
  }
}
