import { Api } from "grammy";
import { ALLOWED_UPDATES } from "../bot/index.ts";
import type { Config } from "../config.ts";

const USAGE = "用法 usage: npm run cli -- webhook set|delete|info\n";

/**
 * Register, remove or show the Telegram webhook: a deployment step run once per deploy (by CI or
 * an operator), not by every instance at start-up. `set` uses WEBHOOK_URL and WEBHOOK_SECRET.
 */
export async function runWebhookCommand(
  config: Config,
  action: string | undefined,
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  if (!config.TELEGRAM_BOT_TOKEN) {
    err("TELEGRAM_BOT_TOKEN is not set: the webhook belongs to a bot token\n");
    return 2;
  }
  const api = new Api(config.TELEGRAM_BOT_TOKEN, {
    apiRoot: config.TELEGRAM_API_ROOT,
    fetch: globalThis.fetch as unknown as NonNullable<ConstructorParameters<typeof Api>[1]>["fetch"],
  });
  switch (action) {
    case "set": {
      if (config.BOT_MODE !== "webhook") {
        err("set BOT_MODE=webhook with WEBHOOK_URL and WEBHOOK_SECRET to register a webhook\n");
        return 2;
      }
      await api.setWebhook(config.WEBHOOK_URL, {
        secret_token: config.WEBHOOK_SECRET,
        allowed_updates: [...ALLOWED_UPDATES],
        max_connections: 40,
      });
      out(`webhook set: ${config.WEBHOOK_URL}\n`);
      return 0;
    }
    case "delete":
      await api.deleteWebhook();
      out("webhook deleted (pending updates kept)\n");
      return 0;
    case "info": {
      const info = await api.getWebhookInfo();
      out(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    default:
      err(USAGE);
      return 2;
  }
}
