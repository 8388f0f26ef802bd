/**
 * The rules a content script carries are packed at build time (lib/engine/packed.ts): unpacked,
 * they must be exactly the precompiled data the build made, for every bundled platform.
 */
import { describe, expect, it } from 'vitest';
import { packEngineData, unpackEngineData } from '@/lib/engine/packed';
import { precompileBundledPacks } from '../../scripts/platform-content-scripts';

const platforms = [...precompileBundledPacks()];

describe('packed rules', () => {
  it.each(platforms)('%s: unpacks to exactly the precompiled data, in under half its size', async (_, p) => {
    const packed = await packEngineData(p.rules);
    expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(await unpackEngineData(packed)).toEqual(p.rules);
    expect(packed.length).toBeLessThan(JSON.stringify(p.rules).length / 2);
  });

  it('refuses a damaged string instead of loading part of the rules', async () => {
    const packed = await packEngineData(platforms[0][1].rules);
    await expect(unpackEngineData(packed.slice(0, packed.length / 2))).rejects.toThrow();
  });
});
