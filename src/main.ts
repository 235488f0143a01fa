import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { createAppDeps, runConsole } from "./app.ts";
import { ALLOWED_UPDATES, type BotApp, createBot } from "./bot/index.ts";
import { createWebhookServer } from "./bot/webhook.ts";
import { type Config, loadConfig } from "./config.ts";
import { CoachError } from "./errors.ts";
import { StorageError } from "./storage/errors.ts";

export interface RunningBot {
  app: BotApp;
  /** idempotent: stop polling or the webhook server, the daily push and tips, close storage */
  stop(): Promise<void>;
}

/** Wire config → core → storage → bot (polling or webhook) and start it; needs TELEGRAM_BOT_TOKEN. */
export async function start(config: Config): Promise<RunningBot> {
  if (!config.TELEGRAM_BOT_TOKEN) throw new CoachError("CONFIG_INVALID", ["TELEGRAM_BOT_TOKEN: missing"]);
  const deps = await createAppDeps(config);
  const { logger, storage } = deps;

  const app = createBot(config.TELEGRAM_BOT_TOKEN, deps, {
    apiRoot: config.TELEGRAM_API_ROOT,
    // webhook instances behind a load balancer: a redelivered update may reach another instance
    dedupe: config.BOT_MODE === "webhook",
  });
  await app.bot.init();
  await app.registerCommands();
  // unfinished tips are picked up: from the shared queue (Redis), or resumed from storage
  app.broadcaster.start();
  await app.daily.start();

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  if (config.BOT_MODE === "webhook") {
    server = createWebhookServer(app.bot, {
      path: new URL(config.WEBHOOK_URL).pathname,
      secret: config.WEBHOOK_SECRET,
      logger,
      ready: () => storage.kv.ping(),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    });
    await new Promise<void>((r) => server!.listen(config.PORT, r));
    // setWebhook is a deployment step (npm run cli -- webhook set), not every instance's start-up
    logger.info("bot running (webhook)", {
      port: config.PORT,
      username: app.bot.botInfo.username,
      hint: "register the webhook once per deployment: npm run cli -- webhook set",
    });
  } else {
    await app.bot.api.deleteWebhook();
    runner = run(app.bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    logger.info("bot running (long polling)", { username: app.bot.botInfo.username });
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // at once: no new update and no new delivery is taken; those in hand are finished
      await Promise.all([
        app.queue?.stopWorker(),
        runner?.isRunning() ? runner.stop() : undefined,
        server ? closeServer(server) : undefined,
      ]);
      await app.daily.stop();
      await app.broadcaster.stop();
      await storage.close();
      logger.info("stopped");
    })();
    return stopping;
  };
  return { app, stop };
}

/**
 * Stop accepting connections and wait for the requests in flight (updates being handled) to be
 * answered; a keep-alive connection is closed as soon as its request is answered, not after its
 * idle timeout.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
  });
}

/** The process entry: the bot when there is a token, else the console chat; SIGINT/SIGTERM stop it. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.TELEGRAM_BOT_TOKEN) return runConsole(config);
  const running = await start(config);
  const shutdown = (signal: string) => {
    running.app.services.logger.info("shutting down", { signal });
    running.stop().catch((err: unknown) => {
      running.app.services.logger.error("shutdown failed", { err });
      process.exitCode = 1;
    });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry)
  main().catch((err: unknown) => {
    const known = err instanceof CoachError || err instanceof StorageError;
    process.stderr.write(`${known ? (err as Error).message : (err as Error).stack}\n`);
    process.exitCode = 1;
  });
