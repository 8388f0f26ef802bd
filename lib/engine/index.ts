export {
  RuleEngine,
  PageMatcher,
  Candidate,
  domSelectorCheck,
  nativePattern,
  unwrapRedirect,
  resolveHref,
  MAX_LINKS_PER_CANDIDATE,
} from './matcher';
export type { CompiledRule, Hit, CompileOptions, CompileProblem } from './matcher';
export { DetectionTracker, summarize } from './detections';
export { labelOf, visibleText, excerpt, MAX_LABEL_LENGTH } from './text';
