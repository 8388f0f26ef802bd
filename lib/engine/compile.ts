/**
 * Compiling packs in one go, for code that has the packs at hand (the archive scanner, the unit
 * tests): the same two steps a build and a page take, one after the other.
 *
 *   RulePack[] ──precompilePacks()──▶ EngineData ──new RuleEngine()──▶ RuleEngine
 */
import type { RulePack } from '../../rules/schema';
import { RuleEngine, type LoadOptions } from './load';
import { precompilePacks } from './precompile';

export function compilePacks(packs: readonly RulePack[], options: LoadOptions = {}): RuleEngine {
  return new RuleEngine([precompilePacks(packs)], options);
}
