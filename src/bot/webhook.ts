import { createServer, type Server } from "node:http";
import type { Bot } from "grammy";
import { webhookCallback } from "grammy";
import type { Metrics } from "../ops/metrics.ts";
import type { BotContext } from "./context.ts";
import type { Logger } from "./logger.ts";

export interface WebhookServerOptions {
  path: string;
  secret: string;
  logger: Logger;
  /** readiness: throws when the instance cannot serve (storage unreachable) */
  ready?: () => Promise<void>;
  metrics?: Metrics;
}

/**
 * The webhook front door: POST <path> with Telegram's secret-token header carries updates to the bot
 * (a missing or wrong secret gets 401). GET /health is liveness ({"ok":true} while the process runs),
 * GET /ready is readiness (503 naming the fault while storage cannot be reached), GET /metrics the
 * Prometheus counters; anything else 404.
 */
export function createWebhookServer(bot: Bot<BotContext>, options: WebhookServerOptions): Server {
  const handle = webhookCallback(bot, "http", { secretToken: options.secret });
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      json(res, 200, { ok: true });
    } else if (req.method === "GET" && req.url === "/ready") {
      (options.ready?.() ?? Promise.resolve()).then(
        () => json(res, 200, { ready: true }),
        (err: unknown) =>
          json(res, 503, { ready: false, reason: err instanceof Error ? err.message : String(err) }),
      );
    } else if (req.method === "GET" && req.url === "/metrics" && options.metrics) {
      options.metrics.render().then(
        (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (req.method === "POST" && req.url === options.path) {
      handle(req, res).catch((err: unknown) => {
        options.logger.error("webhook update failed", { err });
        if (!res.headersSent) res.writeHead(500).end();
      });
    } else res.writeHead(404).end();
  });
}
