/**
 * Settings of the fuzz properties (issue 12). In the test suite they run a few dozen cases each
 * with a fresh seed; `npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_RUNS for a nightly-size run and
 * FUZZ_SEED to replay one. The seed is printed so any failure can be replayed.
 */
const printed = new Set<string>();

export function fuzzParams(name: string, inSuiteRuns: number): { seed: number; numRuns: number } {
  const seedText = process.env.FUZZ_SEED;
  const seed = seedText ? Number(seedText) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const scale = Number(process.env.FUZZ_RUNS ?? '0');
  // FUZZ_RUNS is the number of runs of the largest property; the others keep their proportion
  const numRuns = scale > 0 ? Math.max(1, Math.round((scale * inSuiteRuns) / 100)) : inSuiteRuns;
  if (!printed.has(name)) {
    printed.add(name);
    console.log(`fuzz ${name}: seed ${seed}, ${numRuns} runs (replay: npm run fuzz -- --seed ${seed})`);
  }
  return { seed, numRuns };
}

/** A test's timeout: its own in the suite, none to speak of in a nightly-size run. */
export const fuzzTimeout = (inSuiteMs: number): number => (process.env.FUZZ_RUNS ? 86_400_000 : inSuiteMs);
