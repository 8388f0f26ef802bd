/**
 * `--engine dom`: the extension's rule engine run in Node on a parsed copy of each page, without a
 * browser. It sees the HTML as archived: no script of the page runs, so what a page builds with
 * JavaScript after load is not there (see the README's agreement table).
 */
import { DOMParser as LinkedomParser } from 'linkedom';
import { Window } from 'happy-dom';
import { domSelectorCheck, compilePacks, type RuleEngine, summarize } from '../../lib/engine';
import type { Detection, PlatformId, RulePack } from '../../rules/schema';

export const DOM_LIBRARIES = ['linkedom', 'happy-dom'] as const;
export type DomLibrary = (typeof DOM_LIBRARIES)[number];

export interface PageResult {
  platform: PlatformId | null;
  detections: Detection[];
}

type Parse = (html: string) => Document;

/**
 * linkedom answers `compareDocumentPosition` wrongly for some pairs of nodes in different parents
 * (PRECEDING for a node that follows). The engine puts hits in document order with it, so a scan
 * could list a rule's hits out of order and report another hit's evidence than the browser does.
 * For nodes that do not contain each other, the order is worked out here from their ancestors;
 * only when a probe shows the fault, so a fixed linkedom is left alone.
 */
function fixLinkedomOrder(parser: LinkedomParser): void {
  const probe = parser.parseFromString('<div><p id="a"></p></div><p id="b"></p>', 'text/html');
  const [a, b] = [probe.getElementById('a')!, probe.getElementById('b')!];
  if (a.compareDocumentPosition(b) & 4 /* FOLLOWING */) return;
  let proto: object | null = a;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'compareDocumentPosition'))
    proto = Object.getPrototypeOf(proto);
  if (!proto) return;
  const owner = proto as { compareDocumentPosition(this: Node, other: Node): number };
  const original = owner.compareDocumentPosition;
  owner.compareDocumentPosition = function (this: Node, other: Node): number {
    const r = original.call(this, other);
    if (r & (1 | 8 | 16)) return r; // disconnected, contains, contained by: already right
    if (this === other) return r;
    return (r & ~6) | (follows(this, other) ? 4 : 2);
  };
}

/** Whether `b` comes after `a` in document order (neither containing the other). */
function follows(a: Node, b: Node): boolean {
  const path = (n: Node) => {
    const out: Node[] = [];
    for (let x: Node | null = n; x; x = x.parentNode) out.unshift(x);
    return out;
  };
  const [pa, pb] = [path(a), path(b)];
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  for (let n = pa[i]?.nextSibling ?? null; n; n = n.nextSibling) if (n === pb[i]) return true;
  return false;
}

function parserFor(library: DomLibrary): { parse: Parse; close(): void } {
  if (library === 'linkedom') {
    const parser = new LinkedomParser();
    fixLinkedomOrder(parser);
    return { parse: (html) => parser.parseFromString(html, 'text/html') as unknown as Document, close() {} };
  }
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  const parser = new window.DOMParser();
  return {
    parse: (html) => parser.parseFromString(html, 'text/html') as unknown as Document,
    close: () => void window.happyDOM.close(),
  };
}

export class DomEngine {
  private readonly engine: RuleEngine;
  private readonly parser: { parse: Parse; close(): void };

  constructor(packs: readonly RulePack[], library: DomLibrary = 'linkedom') {
    this.parser = parserFor(library);
    this.engine = compilePacks(packs, { checkSelector: domSelectorCheck(this.parser.parse('<!doctype html>')) });
    if (this.engine.problems.length > 0) {
      throw new Error(
        `rules that the ${library} DOM cannot run: ${this.engine.problems.map((p) => `${p.ruleId}: ${p.message}`).join('; ')}`,
      );
    }
  }

  platformForUrl(url: string): PlatformId | null {
    return this.engine.platformForUrl(url);
  }

  /** The detections of one page, as a fresh content script would report them after its first pass. */
  scan(url: string, html: string): PageResult {
    const matcher = this.engine.forPage(url);
    if (!matcher) return { platform: null, detections: [] };
    const doc = this.parser.parse(html);
    return { platform: matcher.platform, detections: summarize(matcher.scan(doc.documentElement)) };
  }

  close(): void {
    this.parser.close();
  }
}
