/**
 * The rule engine, pure and synchronous (no extension APIs, no timers):
 *
 *   packs ──precompilePacks()──▶ EngineData ──new RuleEngine()──▶ RuleEngine ──forPage(url)──▶ PageMatcher
 *         (precompile.ts: build      (JSON)      (load.ts: page)                 (page-matcher.ts)
 *          or import)                                                                  │ scan(root)
 *                                                                                      ▼
 *                                           Hit[] ──▶ DetectionTracker (detections.ts): Detection records
 *
 * compilePacks (compile.ts) runs both steps at once, for the scanner and the tests.
 *
 * A PageMatcher reads each candidate (candidate.ts) once for all its rules and tests signals
 * (signals.ts) cheap-first. The detection loop calls `scan` on small subtrees in time slices;
 * tests call it on fixture documents.
 */
export { RuleEngine, isEngineData, type LoadOptions } from './load';
export { precompilePacks, ENGINE_DATA_FORMAT, type EngineData, type CompileProblem } from './precompile';
export { compilePacks } from './compile';
export { PageMatcher, HitNesting, type Hit } from './page-matcher';
export { RULE_BUDGET_MS, RULE_WINDOW_MS, type RuleGuard, type Trip } from './rule-guard';
export { Candidate, MAX_LINKS_PER_CANDIDATE, resolveHref, unwrapRedirect } from './candidate';
export { domSelectorCheck } from './selectors';
export { nativePattern, type CompiledRule } from './signals';
export { DetectionTracker, summarize } from './detections';
export { labelOf, visibleText, excerpt, MAX_LABEL_LENGTH } from './text';
