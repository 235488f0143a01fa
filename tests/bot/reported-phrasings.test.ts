import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { createTestBot } from "./helpers.ts";

// The phrasings users reported passing the check and reaching a whole team as a tip.
const api = new FakeBotApi();
let t: Awaited<ReturnType<typeof createTestBot>>;
const C = 41;
const S = 40;
beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
  await t.register(S, "supervisor", "南区");
  await t.register(C, "collector", "南区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

describe("pressing the debtor's family", () => {
  it.each(["多给他家人打电话施压", "给他父母打电话施压"])("/check %s is blocked", async (text) => {
    await t.say(C, `/check ${text}`);
    const reply = api.lastText(C);
    expect(reply).toContain("⛔");
    expect(reply).not.toContain("✅");
  });

  it.each(["多给他家人打电话施压", "给他父母打电话施压"])("/tip %s is not sent to the team", async (text) => {
    await t.say(S, `/tip ${text}`);
    expect(api.lastText(S)).toContain("没有发送");
    expect(api.sent("sendMessage", C)).toHaveLength(0);
    expect(await t.storage.jobs.active()).toHaveLength(0);
  });

  it("a threat asked as a question is blocked, a reminder to pay on time passes", async () => {
    await t.say(C, "/check 信不信我弄死你");
    expect(api.lastText(C)).toContain("⛔");
    await t.say(C, "/check 记得按时还款");
    expect(api.lastText(C)).toContain("✅");
  });
});
