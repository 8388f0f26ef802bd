/**
 * User rule packs: what `checkPack` refuses and how it says so, how `installPack` checks,
 * precompiles, installs, replaces and refuses packs without touching what is installed, the
 * check after an update, and the stored list the options page edits.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_PATTERN_LENGTH, type RulePack, type RulePackInput } from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { getRegulations } from '@/utils/catalogues';
import { precompilePacks, RuleEngine } from '@/lib/engine';
import {
  MAX_PACK_CHARS,
  MAX_PATTERNS_PER_PACK,
  MAX_REPORTED_PROBLEMS,
  MAX_SIGNALS_PER_RULE,
  backtrackingProblems,
  checkPack,
  readPackInput,
} from '@/lib/pack-check';
import { installPack, recheckInstalledPacks, takenRuleIds, type InstallDeps } from '@/utils/pack-install';
import {
  MAX_INSTALLED_PACKS,
  listUserPacks as listPacksOf,
  loadUserPacks as loadPacksOf,
  needsRecheck,
  readStoredPacks,
  removeUserPack,
  setUserPackEnabled,
  userPacksItem,
} from '@/utils/user-packs';
// What a content script runs: it reads the list without WXT's storage helper.
import { readUserRules as loadUserRules } from '@/utils/content-storage';

const REGULATION = 'permendag-31-2023-pasal-21-3';

function rule(id: string, patch: Record<string, unknown> = {}) {
  return {
    id,
    platform: 'tiktok',
    feature: 'buy-button',
    regulationIds: [REGULATION],
    selector: 'button',
    signals: [{ kind: 'text', pattern: '^(beli sekarang|buy now)$', flags: 'i' }],
    ...patch,
  };
}

function pack(rules: unknown[] = [rule('user.beli')], patch: Record<string, unknown> = {}): RulePackInput {
  return { name: 'toko-saya', version: '1.0.0', engine: 1, rules, ...patch } as RulePackInput;
}

const withPattern = (pattern: string, kind = 'text', flags?: string) =>
  pack([
    rule('user.p', {
      signals: [kind === 'attr' ? { kind, name: 'data-x', pattern, flags } : { kind, pattern, flags }],
    }),
  ]);

/** The extension version the tests run as; an update changes it. */
const VERSION = '1.0.0';
const listUserPacks = () => listPacksOf(VERSION);
const loadUserPacks = () => loadPacksOf(VERSION);

const deps = (): InstallDeps => ({
  version: VERSION,
  bundled: loadBundledPacks(),
  regulationIds: new Set(getRegulations().regulations.map((r) => r.id)),
  now: () => 1_700_000_000_000,
});

function errorsOf(raw: unknown, context = {}): string[] {
  const result = checkPack(raw, context);
  return result.ok ? [] : result.errors;
}

beforeEach(() => {
  fakeBrowser.reset();
});

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

describe('pattern checks', () => {
  // Each of these backtracks catastrophically (or polynomially on long text) in a native RegExp.
  it.each([
    ['(a+)+$', /nested quantifier/],
    ['((a+))+$', /nested quantifier/], // nesting behind an extra group
    ['(?:x+x+)+y', /nested quantifier|same characters/],
    ['(.*a){12}', /nested quantifiers/],
    ['^(\\w+\\s?)*$', /nested quantifier/],
    ['(a|a)*$', /overlapping|same character/],
    ['(\\w|\\d)+$', /"\\w" and "\\d" can start with the same character/],
    ['^(a|b|ab)*$', /"a" and "ab" can start with the same character/],
    ['(?:a|a?)+$', /same character|can match nothing/],
    ['(?:x|)+y', /can match nothing/],
    ['\\d*\\d*x', /"\\d\*" and "\\d\*" can match the same characters/],
    ['a.*b.*c.*d', /can match the same characters/],
    ['(a)\\1', /backreferences and lookaround/],
    ['beli(?= sekarang)', /backreferences and lookaround/],
    ['(?<=Rp)\\d+', /backreferences and lookaround/],
  ])('refuses %j, naming the rule and the pattern', (pattern, why) => {
    const errors = errorsOf(withPattern(pattern));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(why);
    for (const line of errors) {
      expect(line).toContain('rule "user.p"');
      expect(line).toContain(`/${pattern}/`);
      expect(line).toContain('$.rules[0].signals[0]');
    }
  });

  it.each([
    '^(beli sekarang|beli langsung|beli|buy now|buy)$',
    '(?:beli|buy)\\s+(?:sekarang|now)',
    'produk.*harga',
    'Rp\\s?[\\d.,]+',
    '^(.|\\n)*x',
    '^(\\s|\\S)*!',
    '^(?:www\\.|m\\.)?tokopedia\\.com/[a-z0-9-]+$',
    '\\bcheckout\\b',
    '"shopping"\\s*:\\s*true',
    '^https://(www\\.|m\\.)?tiktok\\.com/shop(/|\\?|$)',
  ])('accepts the everyday pattern %j', (pattern) => {
    expect(errorsOf(withPattern(pattern, 'text', 'i'))).toEqual([]);
  });

  it('refuses patterns that are quadratic when searched from every position, in every kind of signal', () => {
    // \s*$ tried from each of n positions costs n² steps: harmless on a 300-character label, not on
    // a megabyte-long attribute, URL or JSON data script, which a page chooses.
    for (const kind of ['text', 'attr', 'link']) {
      expect(errorsOf(withPattern('\\s*$', kind)).join('\n')).toMatch(/quadratic time; anchor the pattern with \^/);
      expect(errorsOf(withPattern('^\\s*$', kind))).toEqual([]);
    }
    expect(errorsOf(pack([rule('user.p', { page: { pattern: '[a-z]+x' } })])).join('\n')).toMatch(
      /\$\.rules\[0\]\.page: .*quadratic/,
    );
  });

  it('checks exclusions and page patterns too', () => {
    const errors = errorsOf(
      pack([rule('user.x', { exclude: [{ kind: 'text', pattern: '(a+)+$' }], page: { pattern: '^(\\w|\\d)+$' } })]),
    );
    expect(errors.some((e) => e.includes('$.rules[0].exclude[0]'))).toBe(true);
    expect(errors.some((e) => e.includes('$.rules[0].page'))).toBe(true);
  });

  it('respects flags: a pattern that is safe only case-sensitively is refused with i', () => {
    expect(backtrackingProblems('^(?:a|A)+$')).toEqual([]);
    expect(backtrackingProblems('^(?:a|A)+$', 'i').join('\n')).toMatch(/same character/);
  });

  it('lets no accepted pattern take long on a hostile string of its own characters', () => {
    // An empirical check of the analysis: patterns it accepts, run natively on inputs built to
    // make backtracking engines work hardest, finish in well under a frame.
    const accepted = [
      '^(beli|buy)\\s+(sekarang|now)$',
      'produk.*harga$',
      '^(.|\\n)*x',
      'Rp\\s?[\\d.,]+$',
      '^\\S+\\s+\\S+$',
    ];
    for (const pattern of accepted) {
      expect(backtrackingProblems(pattern)).toEqual([]);
      const re = new RegExp(pattern);
      for (const input of [
        'a'.repeat(300) + '!',
        'a.'.repeat(150) + '!',
        ' '.repeat(300) + '!',
        '1.'.repeat(150) + 'x',
        'beli '.repeat(60),
      ]) {
        const t0 = performance.now();
        re.exec(input);
        expect(performance.now() - t0).toBeLessThan(50);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Pack-level checks
// ---------------------------------------------------------------------------------------------

describe('checkPack', () => {
  it('accepts a good pack and fills in the schema defaults', () => {
    const result = checkPack(pack());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.pack.rules[0]).toMatchObject({ require: 'all', exclude: [], evidence: 'label' });
  });

  it('reads JSON text and says when it is not JSON, empty or too large', () => {
    expect(checkPack(JSON.stringify(pack())).ok).toBe(true);
    expect(errorsOf('{"name": ')).toEqual([expect.stringMatching(/^pack: not valid JSON: /)]);
    expect(errorsOf('   ')).toEqual(['pack: empty']);
    expect(errorsOf('x'.repeat(MAX_PACK_CHARS + 1))).toEqual([`pack: larger than ${MAX_PACK_CHARS} characters`]);
  });

  it('refuses a value JSON cannot carry and one too large as JSON', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(readPackInput(cyclic)).toEqual({ ok: false, errors: ['pack: cannot be read as JSON'] });
    expect(readPackInput({ n: 1n })).toEqual({ ok: false, errors: ['pack: cannot be read as JSON'] });
    const big = pack([rule('user.a', { description: { id: 'x'.repeat(MAX_PACK_CHARS), en: 'x' } })]);
    expect(errorsOf(big)).toEqual([`pack: larger than ${MAX_PACK_CHARS} characters as JSON`]);
  });

  it('passes schema errors through, one line each with the rule id and JSON path', () => {
    const errors = errorsOf(
      pack([
        rule('user.a', { feature: 'teleport' }),
        rule('user.b', { signals: [{ kind: 'text', pattern: 'x'.repeat(MAX_PATTERN_LENGTH + 1) }] }),
      ]),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^pack: rule "user\.a" \$\.rules\[0\]\.feature: /),
      expect.stringMatching(/^pack: rule "user\.b" \$\.rules\[1\]\.signals\[0\]\.pattern: /),
    ]);
  });

  it('limits signals per rule and patterns per pack', () => {
    const signals = Array.from({ length: MAX_SIGNALS_PER_RULE + 1 }, (_, i) => ({ kind: 'text', pattern: `w${i}` }));
    expect(errorsOf(pack([rule('user.many', { signals, require: 'any' })]))).toEqual([
      `pack: rule "user.many" $.rules[0]: ${MAX_SIGNALS_PER_RULE + 1} signals and exclusions, at most ${MAX_SIGNALS_PER_RULE} allowed`,
    ]);
    const perRule = MAX_SIGNALS_PER_RULE;
    const rules = Array.from({ length: Math.ceil((MAX_PATTERNS_PER_PACK + 1) / perRule) }, (_, i) =>
      rule(`user.r${i}`, {
        signals: Array.from({ length: perRule }, (_, j) => ({ kind: 'text', pattern: `w${j}` })),
        require: 'any',
      }),
    );
    expect(errorsOf(pack(rules)).join('\n')).toMatch(new RegExp(`patterns, at most ${MAX_PATTERNS_PER_PACK} allowed`));
  });

  it('refuses rule ids that are taken, unknown regulation ids and hosts the extension does not run on', () => {
    const context = {
      takenRuleIds: new Map([['tiktok.buy-button', 'the bundled pack "lensa-niaga/tiktok"']]),
      regulationIds: new Set([REGULATION]),
      platformHosts: [{ id: 'tiktok' as const, hosts: ['tiktok.com'] }],
    };
    expect(errorsOf(pack([rule('tiktok.buy-button')]), context)).toEqual([
      'pack: rule "tiktok.buy-button" $.rules[0].id: already used by the bundled pack "lensa-niaga/tiktok"; give the rule its own id',
    ]);
    expect(errorsOf(pack([rule('user.a', { regulationIds: ['pasal-palsu'] })]), context)).toEqual([
      'pack: rule "user.a" $.rules[0].regulationIds[0]: unknown regulation id "pasal-palsu"',
    ]);
    const hosts = pack(undefined, { platforms: [{ id: 'tiktok', hosts: ['m.tiktok.com', 'evil.example.com'] }] });
    expect(errorsOf(hosts, context)).toEqual([
      'pack: $.platforms[0].hosts[1]: "evil.example.com" is not a tiktok host this extension runs on',
    ]);
  });

  it('reports every kind of problem in one answer, so one round of fixes can address them all', () => {
    const errors = errorsOf(
      pack([rule('user.a', { regulationIds: ['pasal-palsu'], signals: [{ kind: 'text', pattern: '^(a|ab)+$' }] })]),
      {
        regulationIds: new Set([REGULATION]),
      },
    );
    expect(errors).toEqual([
      'pack: rule "user.a" $.rules[0].regulationIds[0]: unknown regulation id "pasal-palsu"',
      expect.stringMatching(
        /^pack: rule "user\.a" \$\.rules\[0\]\.signals\[0\]: pattern \/\^\(a\|ab\)\+\$\/: the alternatives "a" and "ab"/,
      ),
    ]);
  });

  it('lists at most MAX_REPORTED_PROBLEMS problems and says how many more there were', () => {
    const rules = Array.from({ length: MAX_REPORTED_PROBLEMS + 7 }, (_, i) =>
      rule(`user.r${i}`, { signals: [{ kind: 'text', pattern: '(a+)+$' }] }),
    );
    const errors = errorsOf(pack(rules));
    expect(errors).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(errors.at(-1)).toMatch(/^… and \d+ more problems$/);
  });

  it('gives one line per problem even when a rule id or pattern carries a line break', () => {
    const errors = errorsOf(withPattern('(a+)+$\n(b+)+$'));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(line).toContain('/(a+)+$\\n(b+)+$/');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Installing
// ---------------------------------------------------------------------------------------------

describe('installPack', () => {
  it('installs a good pack and the content script loads its precompiled form', async () => {
    expect(await installPack(pack(), deps())).toEqual({ ok: true, ruleCount: 1 });
    expect((await loadUserPacks()).map((p) => p.name)).toEqual(['toko-saya']);
    const [stored] = await readStoredPacks();
    expect(stored.checkedBy).toBe(VERSION);
    expect(stored.compiled).toEqual(precompilePacks([stored.pack as RulePack]));
    const loaded = await loadUserRules(VERSION);
    expect(loaded).toEqual([stored.compiled]);
    const engine = new RuleEngine([precompilePacks(loadBundledPacks()), ...loaded]);
    expect(engine.problems).toEqual([]);
    expect(engine.rules.some((r) => r.rule.id === 'user.beli')).toBe(true);
    expect(await listUserPacks()).toEqual([
      {
        id: 1_700_000_000_000,
        name: 'toko-saya',
        version: '1.0.0',
        description: '',
        ruleCount: 1,
        enabled: true,
        installedAt: 1_700_000_000_000,
        valid: true,
      },
    ]);
  });

  it('accepts pasted JSON text', async () => {
    expect(await installPack(JSON.stringify(pack([rule('user.a'), rule('user.b')])), deps())).toEqual({
      ok: true,
      ruleCount: 2,
    });
  });

  it('replaces an installed pack of the same name instead of adding a second', async () => {
    await installPack(pack(), deps());
    await installPack(pack([rule('user.beli'), rule('user.bayar')], { version: '1.1.0' }), {
      ...deps(),
      now: () => 1_700_000_000_500,
    });
    const list = await listUserPacks();
    expect(list.map((p) => [p.name, p.version, p.ruleCount])).toEqual([['toko-saya', '1.1.0', 2]]);
  });

  it('changes nothing installed when a pack is refused, whatever the reason', async () => {
    await installPack(pack(), deps());
    await installPack(pack([rule('other.rule')], { name: 'kedua' }), deps());
    const before = structuredClone(await fakeBrowser.storage.local.get(null));
    const bad: unknown[] = [
      pack([rule('user.beli', { signals: [{ kind: 'text', pattern: '(\\w|\\d)+$' }] })]), // same name, unsafe pattern
      pack([rule('other.rule')], { name: 'ketiga' }), // rule id of another installed pack
      pack([rule('tiktok.buy-button')], { name: 'keempat' }), // a bundled rule id
      pack([rule('user.z', { regulationIds: ['tidak-ada'] })], { name: 'kelima' }),
      { ...pack(), engine: 99 },
      '{ not json',
      null,
      42,
      [],
      { name: 'toko-saya' },
    ];
    for (const raw of bad) {
      const answer = await installPack(raw, deps());
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.errors.length).toBeGreaterThan(0);
        for (const line of answer.errors) expect(line).toMatch(/^pack[: ]/);
      }
      expect(await fakeBrowser.storage.local.get(null)).toEqual(before);
    }
  });

  it('answers ok: false and keeps the list when storage refuses the write (quota)', async () => {
    await installPack(pack(), deps());
    const before = await readStoredPacks();
    const spy = vi.spyOn(userPacksItem, 'setValue').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    const answer = await installPack(pack([rule('user.dua')], { name: 'dua' }), deps());
    expect(spy).toHaveBeenCalled();
    expect(answer).toEqual({ ok: false, errors: ['pack: could not be installed: QUOTA_BYTES quota exceeded'] });
    expect(await readStoredPacks()).toEqual(before);
    // and the next import works again
    expect(await installPack(pack([rule('user.dua')], { name: 'dua' }), deps())).toEqual({ ok: true, ruleCount: 1 });
  });

  it(`installs at most ${MAX_INSTALLED_PACKS} packs`, async () => {
    for (let i = 0; i < MAX_INSTALLED_PACKS; i++) {
      expect(
        await installPack(pack([rule(`user.r${i}`)], { name: `p${i}` }), { ...deps(), now: () => i }),
      ).toMatchObject({ ok: true });
    }
    expect(await installPack(pack([rule('user.more')], { name: 'satu-lagi' }), deps())).toEqual({
      ok: false,
      errors: [`pack: ${MAX_INSTALLED_PACKS} packs are installed already; remove one first`],
    });
    // replacing one of them is still allowed
    expect(await installPack(pack([rule('user.r0')], { name: 'p0', version: '2.0.0' }), deps())).toMatchObject({
      ok: true,
    });
  });

  it('takenRuleIds leaves out the pack being replaced', () => {
    const bundled = loadBundledPacks();
    const installed = [{ pack: pack([rule('user.a')]), enabled: true, installedAt: 1 }];
    expect(takenRuleIds(bundled, installed, 'toko-saya').has('user.a')).toBe(false);
    expect(takenRuleIds(bundled, installed, 'lain').get('user.a')).toBe('the installed pack "toko-saya"');
    expect(takenRuleIds(bundled, [], 'x').get(bundled[0].rules[0].id)).toMatch(/^the bundled pack /);
  });
});

describe('the installed list', () => {
  it('switches packs off and on, removes them, and loads only enabled valid ones', async () => {
    await installPack(pack(), { ...deps(), now: () => 10 });
    await installPack(pack([rule('user.dua')], { name: 'dua' }), { ...deps(), now: () => 20 });
    await setUserPackEnabled(10, false);
    expect((await loadUserPacks()).map((p) => p.name)).toEqual(['dua']);
    await setUserPackEnabled(10, true);
    expect((await loadUserPacks()).map((p) => p.name)).toEqual(['toko-saya', 'dua']);
    await removeUserPack(20);
    expect((await listUserPacks()).map((p) => p.name)).toEqual(['toko-saya']);
  });

  it('survives odd stored data: skips invalid entries, and the check switches a broken pack off', async () => {
    // Entries as stored before packs were precompiled: no compiled form, no version.
    await fakeBrowser.storage.local.set({
      userPacks: [
        { pack: { name: 'rusak', version: '1', rules: [{}] }, enabled: true, installedAt: 5 },
        'not a pack',
        { pack: pack() as RulePack, enabled: true, installedAt: 6 },
      ],
    });
    expect(await loadUserRules(VERSION)).toEqual([]);
    expect(needsRecheck(await readStoredPacks(), VERSION)).toBe(true);
    expect(await recheckInstalledPacks(deps())).toEqual(['rusak']);
    expect(needsRecheck(await readStoredPacks(), VERSION)).toBe(false);
    expect((await loadUserPacks()).map((p) => p.name)).toEqual(['toko-saya']);
    expect((await loadUserRules(VERSION)).flatMap((d) => d.rules.map((r) => r.rule.id))).toEqual(['user.beli']);
    expect((await listUserPacks()).map((p) => [p.name, p.valid, p.enabled, p.ruleCount])).toEqual([
      ['rusak', false, false, 1],
      ['toko-saya', true, true, 1],
    ]);
    await fakeBrowser.storage.local.set({ userPacks: { not: 'a list' } });
    expect(await loadUserPacks()).toEqual([]);
    expect(await loadUserRules(VERSION)).toEqual([]);
  });

  it('after an update, content scripts skip packs until an extension page checks them again', async () => {
    await installPack(pack(), { ...deps(), now: () => 1 });
    await installPack(pack([rule('user.dua')], { name: 'dua' }), { ...deps(), now: () => 2 });
    await setUserPackEnabled(2, false);
    const newer = { ...deps(), version: '1.1.0' };
    expect(await loadUserRules(newer.version)).toEqual([]);
    expect(needsRecheck(await readStoredPacks(), newer.version)).toBe(true);
    // Stored data of another format is never loaded either, whatever version it claims.
    const [first] = await readStoredPacks();
    await userPacksItem.setValue([{ ...first, compiled: { ...first.compiled!, format: 0 as 1 } }]);
    expect(await loadUserRules(VERSION)).toEqual([]);
    await installPack(pack([rule('user.dua')], { name: 'dua' }), { ...deps(), now: () => 2 });
    await setUserPackEnabled(2, false);
    await userPacksItem.setValue((await readStoredPacks()).map((e) => ({ ...e, checkedBy: VERSION })));

    expect(await recheckInstalledPacks(newer)).toEqual([]);
    const after = await readStoredPacks();
    expect(after.map((e) => [e.checkedBy, e.enabled])).toEqual([
      ['1.1.0', true],
      ['1.1.0', false],
    ]);
    expect((await loadUserRules(newer.version)).map((d) => d.packs[0].name)).toEqual(['toko-saya']);
    // Nothing left to check: a second run writes nothing.
    const spy = vi.spyOn(userPacksItem, 'setValue');
    expect(await recheckInstalledPacks(newer)).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('gives two packs imported in the same millisecond different ids', async () => {
    await installPack(pack(), { ...deps(), now: () => 7 });
    await installPack(pack([rule('user.dua')], { name: 'dua' }), { ...deps(), now: () => 7 });
    const ids = (await listUserPacks()).map((p) => p.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('after an update, switches off an installed pack whose rule id a bundled pack now uses', async () => {
    await installPack(pack([rule('user.later-bundled')]), { ...deps(), now: () => 1 });
    await installPack(pack([rule('user.fine')], { name: 'baik' }), { ...deps(), now: () => 2 });
    const bundled = loadBundledPacks();
    const newer = [
      ...bundled.slice(0, 1).map((p) => ({ ...p, rules: [...p.rules, { ...p.rules[0], id: 'user.later-bundled' }] })),
      ...bundled.slice(1),
    ];
    expect(await recheckInstalledPacks({ ...deps(), version: '1.1.0', bundled: newer })).toEqual(['toko-saya']);
    expect((await listUserPacks()).map((p) => [p.name, p.enabled])).toEqual([
      ['toko-saya', false],
      ['baik', true],
    ]);
  });
});
