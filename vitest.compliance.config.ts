import { defineConfig } from "vitest/config";

/**
 * The compliance engine's own suites, for `npm run mutate:compliance`: a planted bug in the engine
 * must be caught by the compliance tests, not only by a bot test that happens to pass through it
 * (and running every bot test per mutant would take hours on two cores).
 */
export default defineConfig({
  test: {
    include: [
      "tests/compliance*.test.ts",
      "tests/phrase-matcher.test.ts",
      "tests/ingest/screen.test.ts",
      "tests/ingest/quarantine-warn.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
