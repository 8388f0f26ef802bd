/**
 * Checking a rule pack before it is stored: the bundled schema, then every pattern's safety.
 * Runs in the background and options page only (it pulls in the RE2 port).
 */
import { RulePack, validate, type RulePack as RulePackType } from '../rules/schema';
import { patternProblems } from './pattern-safety';

/** Validation plus pattern safety: one readable line per problem. */
export function checkPack(raw: unknown, file = 'pack'): { ok: true; pack: RulePackType } | { ok: false; errors: string[] } {
  const result = validate(RulePack, raw, file);
  if (!result.ok) return result;
  const errors: string[] = [];
  for (const rule of result.value.rules) {
    const patterns = [...rule.signals, ...rule.exclude, ...(rule.page ? [rule.page] : [])];
    for (const p of patterns) {
      if (!('pattern' in p)) continue;
      for (const message of patternProblems(p.pattern, p.flags)) {
        errors.push(`${file}: rule "${rule.id}": pattern /${p.pattern.slice(0, 60)}/: ${message}`);
      }
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, pack: result.value };
}

