import { defineConfig } from "vitest/config";

// With REDIS_URL set (as in CI) the bot suites run a second time on Redis ("redis" project); the
// storage suite covers both stores itself. Each test gets its own key namespace (tests/bot/helpers.ts).
const redis = Boolean(process.env.REDIS_URL);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "sqlite", include: ["tests/**/*.test.ts"] } },
      ...(redis
        ? [
            {
              extends: true,
              test: {
                name: "redis",
                // start-up reads its store from the config (SQLite in DATA_DIR): one run is enough
                include: ["tests/bot/**/*.test.ts"],
                exclude: ["tests/bot/startup.test.ts"],
                env: { TEST_STORE: "redis" },
              },
            },
          ]
        : []),
    ],
  },
});
