// Mutation testing (npm run mutate): do the tests fail when the product breaks?
// Not in CI (too slow on two cores). Run it on one module at a time while you work, e.g.
//   npm run mutate -- --mutate src/broadcast/broadcaster.ts
// Re-runs are incremental: only mutants in changed code, or covered by changed tests, run again.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts", related: true },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  // two cores shared with everyone else
  concurrency: 2,
  mutate: [
    "src/compliance/**/*.ts",
    "!src/compliance/context-cues.ts", // phrase lists: judged by `npm run eval`, not by mutation
    "src/broadcast/**/*.ts",
    "src/bot/guardian.ts",
    "src/bot/features/tip.ts",
    "src/bot/middleware.ts",
    "src/scheduler/**/*.ts",
    "src/storage/invites.ts",
    // the operations several instances rely on being atomic
    "src/storage/redis-kv.ts",
  ],
  ignorePatterns: ["data", "coverage", "scratch", "reports", "bench", ".stryker-tmp*"],
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["html", "clear-text", "progress", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  timeoutMS: 20000,
  timeoutFactor: 2,
  cleanTempDir: "always",
  tempDirName: ".stryker-tmp",
};
