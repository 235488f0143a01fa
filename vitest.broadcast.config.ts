import { defineConfig } from "vitest/config";

/**
 * Tip delivery's own suites (virtual clock, fake stores), for mutation runs of src/broadcast/ with
 * stryker.range.config.mjs: each mutant runs in seconds instead of the bot and cluster suites' minutes.
 */
export default defineConfig({
  test: {
    include: ["tests/broadcast/*.test.ts", "tests/bot/broadcast-429.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
