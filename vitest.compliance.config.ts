import { defineConfig } from "vitest/config";

/**
 * The compliance engine's own suites, for `npm run mutate:compliance`: a planted bug in the engine
 * must be caught by the compliance tests, not only by a bot test that happens to pass through it
 * (and running every bot test per mutant would take hours on two cores). They run as one module
 * graph (tests/mutation/compliance.suite.ts imports them): importing the text normaliser and the
 * knowledge loader costs about 3 s, and with the files apart every mutant paid it once per file.
 */
export default defineConfig({
  test: {
    include: ["tests/mutation/compliance.suite.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
