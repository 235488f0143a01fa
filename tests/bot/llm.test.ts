import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withTyping } from "../../src/bot/typing.ts";
import { stripHtml } from "../../src/text/html.ts";
import { CHAT, completion, LLM_HOST, testLlmCoach } from "../llm/helpers.ts";
import { nock } from "../llm/nock-setup.ts";
import { FakeBotApi } from "./fake-api.ts";
import { createTestBot, testCoach } from "./helpers.ts";

const api = new FakeBotApi();
let t: Awaited<ReturnType<typeof createTestBot>>;
const C = 41;
beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api, llm: testLlmCoach({ coach: testCoach(), settings: { timeoutMs: 1500 } }) });
  await t.register(C, "collector", "南区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

const everyTextPassesGuard = () => {
  for (const c of api.calls)
    if (typeof c.payload.text === "string")
      expect(testCoach().guard(c.payload.text).allowed, c.payload.text).toBe(true);
};

describe("bot in LLM mode (nocked endpoint, fake Bot API)", () => {
  it("shows typing, then answers with the model's grounded answer and its sources", async () => {
    nock(LLM_HOST)
      .post(CHAT)
      .reply(200, completion({ answer: "先共情，再核实他的收入情况 [1]。", covered: true }));
    await t.say(C, "客户说没钱怎么办");
    const methods = api.calls.filter((c) => c.payload.chat_id === C).map((c) => c.method);
    expect(methods.indexOf("sendChatAction")).toBeGreaterThanOrEqual(0);
    expect(methods.indexOf("sendChatAction")).toBeLessThan(methods.indexOf("sendMessage"));
    expect(api.sent("sendChatAction", C)[0]!.payload.action).toBe("typing");
    const text = stripHtml(api.lastText(C));
    expect(text).toContain("先共情，再核实他的收入情况 [1]");
    expect(text).toContain("📚 来源");
    everyTextPassesGuard();
  });

  it("a failing endpoint: the offline answer, within the time budget", async () => {
    nock(LLM_HOST).post(CHAT).reply(503, {}).persist();
    const t0 = Date.now();
    await t.say(C, "客户说生病住院了没钱还");
    expect(Date.now() - t0).toBeLessThan(1500 + 1000);
    expect(api.lastText(C)).toBe(testCoach().ask("客户说生病住院了没钱还").html);
    everyTextPassesGuard();
  });

  it("/check adds the judge's finding to the report", async () => {
    nock(LLM_HOST)
      .post(CHAT)
      .reply(
        200,
        completion({
          violations: [
            {
              category: "third-party-disclosure",
              severity: "block",
              evidence: "跟您单位同事们通个气",
              explanation: "向同事透露欠款",
            },
          ],
        }),
      )
      .post(CHAT)
      .reply(200, completion({ rewrite: "请您本人尽快处理这笔欠款，我们可以商量还款安排。" }))
      .post(CHAT)
      .reply(200, completion({ violations: [] }));
    await t.say(C, "/check 您这情况，我们只好把欠款的事跟您单位同事们通个气了");
    const text = stripHtml(api.lastText(C));
    expect(text).toContain("⛔ 不合规");
    expect(text).toContain("请您本人尽快处理这笔欠款，我们可以商量还款安排。");
    everyTextPassesGuard();
  });
});

describe("typing indicator", () => {
  it("repeats while the work runs and stops when it ends", async () => {
    let shown = 0;
    const ctx = { replyWithChatAction: async () => void shown++ } as unknown as Parameters<
      typeof withTyping
    >[0];
    const result = await withTyping(ctx, () => new Promise((r) => setTimeout(() => r("done"), 120)), 30);
    expect(result).toBe("done");
    expect(shown).toBeGreaterThanOrEqual(3);
    const after = shown;
    await new Promise((r) => setTimeout(r, 100));
    expect(shown).toBe(after);
  });
});
