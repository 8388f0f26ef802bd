/**
 * Moving the picker's choice through the page by keyboard: ↑ to the parent, ↓ to the first child,
 * ← and → to the siblings. Elements that show nothing (scripts, styles) and the picker's own host
 * are stepped over; the choice never leaves <body>.
 */

export type Step = 'parent' | 'child' | 'previous' | 'next';

export const KEY_STEPS: Record<string, Step> = {
  ArrowUp: 'parent',
  ArrowDown: 'child',
  ArrowLeft: 'previous',
  ArrowRight: 'next',
};

const INVISIBLE = new Set(['script', 'style', 'template', 'noscript', 'link', 'meta']);

function pickable(el: Element, skip: Element): boolean {
  return el !== skip && !INVISIBLE.has(el.localName);
}

/** The element one step from `el`, or `el` itself when there is none that way. */
export function step(el: Element, direction: Step, skip: Element): Element {
  let next: Element | null;
  if (direction === 'parent') {
    const parent = el.parentElement;
    next = parent && parent.localName !== 'body' && parent.localName !== 'html' ? parent : null;
  } else if (direction === 'child') {
    next = el.firstElementChild;
    while (next && !pickable(next, skip)) next = next.nextElementSibling;
  } else {
    const move = (e: Element) => (direction === 'previous' ? e.previousElementSibling : e.nextElementSibling);
    next = move(el);
    while (next && !pickable(next, skip)) next = move(next);
  }
  return next ?? el;
}
