/**
 * Precompiled rules as they travel inside a content script: the EngineData's JSON, compressed
 * (raw deflate) and written as base64. TikTok's rules are 29 kB as a JavaScript object and about
 * 6 kB packed; a content script carries its platform's rules and is parsed on every page of the
 * platform, so the bytes count there (README, "Bundle sizes"). Unpacking uses the browser's own
 * DecompressionStream and JSON parser and takes well under a millisecond; the build packs with the
 * same standard (CompressionStream, also in Node), so no decompressor is bundled.
 *
 * What unpacking can work out exactly is left out: each rule's selector (precompile.ts writes it
 * as its parts joined). A rule's category stays in: it is a few bytes of packed data, where the
 * table of every feature's category would be a few hundred in every content script.
 *
 *   EngineData ──packEngineData() (build)──▶ string in the content script ──unpackEngineData()──▶ EngineData
 */
import type { EngineData, RuleData } from './precompile';
import { joinSelectorParts } from './selectors';

const FORMAT = 'deflate-raw';

type PackedRule = Omit<RuleData, 'rule'> & { rule: Omit<RuleData['rule'], 'selector'> };
type PackedData = Omit<EngineData, 'rules'> & { rules: PackedRule[] };

async function pipe(bytes: Uint8Array<ArrayBuffer>, through: ReadableWritablePair<Uint8Array, BufferSource>) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(through)).arrayBuffer());
}

export async function packEngineData(data: EngineData): Promise<string> {
  const packed: PackedData = {
    ...data,
    rules: data.rules.map(({ rule: { selector: _selector, ...rule }, ...rest }) => ({
      ...rest,
      rule,
    })),
  };
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(packed)), new CompressionStream(FORMAT));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function unpackEngineData(packed: string): Promise<EngineData> {
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const data = JSON.parse(new TextDecoder().decode(await pipe(bytes, new DecompressionStream(FORMAT)))) as PackedData;
  return {
    ...data,
    rules: data.rules.map((r) => ({
      ...r,
      rule: { ...r.rule, selector: joinSelectorParts(r.parts.map((p) => p.selector)) },
    })),
  };
}
