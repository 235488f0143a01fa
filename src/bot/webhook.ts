import { createServer, type Server } from "node:http";
import type { Bot } from "grammy";
import { webhookCallback } from "grammy";
import type { BotContext } from "./context.ts";
import type { Logger } from "./logger.ts";

/**
 * The webhook front door: POST <path> with Telegram's secret-token header carries updates to the bot
 * (a missing or wrong secret gets 401), GET /health answers {"ok":true}, anything else 404.
 */
export function createWebhookServer(
  bot: Bot<BotContext>,
  options: { path: string; secret: string; logger: Logger },
): Server {
  const handle = webhookCallback(bot, "http", { secretToken: options.secret });
  return createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else if (req.method === "POST" && req.url === options.path) {
      handle(req, res).catch((err: unknown) => {
        options.logger.error("webhook update failed", { err });
        if (!res.headersSent) res.writeHead(500).end();
      });
    } else res.writeHead(404).end();
  });
}
