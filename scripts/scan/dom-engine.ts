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

function parserFor(library: DomLibrary): { parse: Parse; close(): void } {
  if (library === 'linkedom') {
    const parser = new LinkedomParser();
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
