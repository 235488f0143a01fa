import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWebhookCommand } from "../src/cli/webhook.ts";
import { loadConfig } from "../src/config.ts";
import { FakeBotApi } from "./bot/fake-api.ts";
import { TOKEN } from "./bot/helpers.ts";

const api = new FakeBotApi();
beforeAll(async () => {
  await api.start();
});
afterAll(() => api.stop());

const run = async (env: Record<string, string>, action: string | undefined) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runWebhookCommand(
    loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, ...env }),
    action,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join(""), err: err.join("") };
};
const webhookEnv = {
  BOT_MODE: "webhook",
  WEBHOOK_URL: "https://bot.example.com/telegram",
  WEBHOOK_SECRET: "deploy-secret-0123456789",
};

describe("npm run cli -- webhook", () => {
  it("set registers the URL, secret and every update type the bot needs (poll answers too)", async () => {
    const r = await run(webhookEnv, "set");
    expect(r.code).toBe(0);
    const call = api.sent("setWebhook").at(-1)!;
    expect(call.payload).toMatchObject({
      url: "https://bot.example.com/telegram",
      secret_token: "deploy-secret-0123456789",
    });
    expect(call.payload.allowed_updates).toContain("poll_answer");
  });

  it("delete and info call Telegram; set without webhook settings and unknown actions are refused", async () => {
    expect((await run({}, "delete")).code).toBe(0);
    expect(api.sent("deleteWebhook")).toHaveLength(1);
    expect((await run({}, "info")).code).toBe(0);
    expect(api.sent("getWebhookInfo")).toHaveLength(1);
    const noMode = await run({}, "set");
    expect(noMode.code).toBe(2);
    expect(noMode.err).toContain("WEBHOOK_URL");
    expect((await run({}, "bogus")).err).toContain("webhook set|delete|info");
  });
});
