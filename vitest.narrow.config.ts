import { defineConfig } from "vitest/config";

/**
 * Narrow suite sets for mutation runs of one module at a time (stryker.range.config.mjs), so that each
 * mutant runs the suites that test that module and not the whole bot: MUTATE_SUITES names the set.
 *   MUTATE_SUITES=guard MUTATE_VITEST=vitest.narrow.config.ts MUTATE_NAME=guardian \
 *     npx stryker run stryker.range.config.mjs --mutate src/bot/guardian.ts --concurrency 1
 * The queue set needs Redis, and so does the units set for the daily push's queue mode:
 *   REDIS_URL=redis://127.0.0.1:6379/9 MUTATE_SUITES=queue MUTATE_VITEST=vitest.narrow.config.ts MUTATE_NAME=dq \
 *     npx stryker run stryker.range.config.mjs --mutate src/broadcast/delivery-queue.ts --concurrency 1
 */
const SETS: Record<string, string[]> = {
  // the outgoing guard
  guard: ["tests/bot/guardian.test.ts", "tests/bot/quiz-guard.test.ts"],
  // /tip (bot flows: about 10 s a mutant)
  tip: ["tests/bot/tip.test.ts", "tests/bot/user-visible.test.ts"],
  // access middleware, flood limit, locale, message normalisation
  access: [
    "tests/bot/middleware.test.ts",
    "tests/bot/access.test.ts",
    "tests/bot/text.test.ts",
    "tests/bot/locales.test.ts",
    "tests/bot/user-visible.test.ts",
    "tests/bot/onboarding.test.ts",
    "tests/bot/groups.test.ts",
  ],
  // the middleware functions alone, then through the bot
  middleware: ["tests/bot/middleware-units.test.ts", "tests/bot/middleware.test.ts"],
  // the Redis store (needs REDIS_URL): its own tests, the shared store suite, faults under load
  storage: ["tests/storage/redis-kv.test.ts", "tests/storage/storage.test.ts", "tests/multi/faults.test.ts"],
  // invites and the daily scheduler; the scheduler glob takes in the daily push's queue mode
  // (tests/scheduler/daily-queue.test.ts), which needs REDIS_URL: without it that suite is skipped
  // and the mutants of deliverQueued, the queued tick and start() in src/scheduler/daily.ts survive
  units: [
    "tests/storage/invites.test.ts",
    "tests/storage/storage.test.ts",
    "tests/scheduler/*.test.ts",
    "tests/bot/daily.test.ts",
  ],
  // the corpus, rule files and rule schema, loaded at import by the other suites (static mutants)
  files: ["tests/compliance-files.test.ts"],
  // the shared delivery queue and tips on it (DeliveryQueue, QueuedBroadcaster): these need REDIS_URL
  // (each test uses a namespace of its own), without it they are skipped and every mutant survives
  queue: [
    "tests/broadcast/delivery-queue.test.ts",
    "tests/broadcast/queued-broadcaster.test.ts",
    "tests/multi/queue.test.ts",
  ],
};
const set = process.env.MUTATE_SUITES ?? "guard";
if (!SETS[set]) throw new Error(`MUTATE_SUITES: one of ${Object.keys(SETS).join(", ")}`);

export default defineConfig({
  test: { include: SETS[set], testTimeout: 30_000, hookTimeout: 30_000, pool: "forks" },
});
