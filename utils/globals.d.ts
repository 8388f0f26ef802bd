/**
 * Compile-time constants defined by the build (wxt.config.ts `vite.define`, vitest.config.ts).
 */

/**
 * True only in the bench's naive build (env `LENSA_BENCH_NAIVE=1`, see tests/bench): the detection
 * loop then rescans the whole document on every mutation, as a reference point for `npm run bench`.
 * Every shipped build defines it as `false`, so the bundler drops that code.
 */
declare const __LENSA_BENCH_NAIVE__: boolean;
