import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot } from "./helpers.ts";

/**
 * /tip as supervisors and admins use it: who receives a tip, what the sender is told, and the
 * warn → confirm step only the sender can complete.
 */
const api = new FakeBotApi();
type TestBot = Awaited<ReturnType<typeof createTestBot>>;
const open: TestBot[] = [];
afterEach(() => expect(api.rejected).toEqual([]));
beforeAll(async () => {
  await api.start();
});
afterAll(() => api.stop());
beforeEach(() => api.reset());
afterEach(async () => {
  for (const t of open.splice(0)) await t.storage.close();
});

const S = 30;
const S2 = 33;
const C = 31;
const C2 = 32;
const OTHER_TEAM = 40;
const WARN_TIP = "晚上九点半给客户打电话提醒还款";
const FINE_TIP = "今天重点跟进承诺还款的客户";

/** a bot with supervisors S, S2 and collectors C, C2 in 北区, and OTHER_TEAM in 南区 */
async function team() {
  const t = await createTestBot({ api });
  open.push(t);
  await t.register(S, "supervisor", "北区");
  await t.register(S2, "supervisor", "北区");
  await t.register(C, "collector", "北区");
  await t.register(C2, "collector", "北区");
  await t.register(OTHER_TEAM, "collector", "南区");
  api.reset();
  return t;
}

const settle = async (t: TestBot) => {
  for (const j of await t.storage.jobs.active()) await t.app.broadcaster.wait(j.id);
  await new Promise((r) => setTimeout(r, 30));
};
const tipReceivers = () =>
  [
    ...new Set(
      api
        .sent("sendMessage")
        .filter((c) => String(c.payload.text).includes("主管提示"))
        .map((c) => c.payload.chat_id as number),
    ),
  ].sort((a, b) => a - b);

describe("who receives a tip", () => {
  it("a supervisor's tip goes to the active members of their team, not to them or other teams", async () => {
    const t = await team();
    await t.storage.users.patch(C2, (u) => ({ ...u, active: false }));
    await t.say(S, `/tip ${FINE_TIP}`);
    expect(api.lastText(S)).toBe("正在发给 2 人，完成后告诉你结果。");
    await settle(t);
    expect(tipReceivers()).toEqual([C, S2]);
  });

  it("「all」 from a supervisor is just a word of the tip", async () => {
    const t = await team();
    await t.say(S, `/tip all ${FINE_TIP}`);
    await settle(t);
    expect(tipReceivers()).toEqual([C, C2, S2]);
    const tip = api.sent("sendMessage", C).find((c) => String(c.payload.text).includes("主管提示"));
    expect(String(tip!.payload.text)).toContain(`all ${FINE_TIP}`);
  });

  it("an admin's /tip all (any case) goes to everyone but the admin, without the word 「all」", async () => {
    const t = await team();
    await t.say(ADMIN, `/tip ALL ${FINE_TIP}`);
    expect(api.lastText(ADMIN)).toContain("正在发给 5 人");
    await settle(t);
    expect(tipReceivers()).toEqual([S, C, C2, S2, OTHER_TEAM].sort((a, b) => a - b));
    const tip = api.sent("sendMessage", C).find((c) => String(c.payload.text).includes("主管提示"));
    expect(String(tip!.payload.text)).not.toContain("ALL");
  });

  it("an admin without a team reaches everyone even without 「all」; 「all」 only counts as the first word", async () => {
    const t = await team();
    await t.say(ADMIN, "/tip 回访前先 install 新版工单系统");
    await settle(t);
    expect(tipReceivers()).toEqual([S, C, C2, S2, OTHER_TEAM].sort((a, b) => a - b));
    const tip = api.sent("sendMessage", C).find((c) => String(c.payload.text).includes("主管提示"));
    expect(String(tip!.payload.text)).toContain("回访前先 install 新版工单系统");
  });

  it("an admin moved into a team tips that team, and everyone with 「all」", async () => {
    const t = await team();
    await t.say(ADMIN, "/move 1000 南区");
    api.reset();
    await t.say(ADMIN, `/tip ${FINE_TIP}`);
    await settle(t);
    expect(tipReceivers()).toEqual([OTHER_TEAM]);
    api.reset();
    await t.say(ADMIN, `/tip all ${FINE_TIP}`);
    await settle(t);
    expect(tipReceivers()).toEqual([S, C, C2, S2, OTHER_TEAM].sort((a, b) => a - b));
  });

  it("nobody to send to, no text, or too long: the sender is told, nothing is queued", async () => {
    const t = await createTestBot({ api });
    open.push(t);
    await t.register(S, "supervisor", "东区");
    await t.say(S, `/tip ${FINE_TIP}`);
    expect(api.lastText(S)).toBe("没有可以发送的成员。");
    await t.say(S, "/tip   ");
    expect(api.lastText(S)).toContain("用法：/tip");
    await t.say(ADMIN, "/tip all");
    expect(api.lastText(ADMIN)).toContain("用法：/tip");
    await t.say(S, `/tip ${"提醒".repeat(501)}`);
    expect(api.lastText(S)).toBe("内容太长了（上限 1000 字）。请精简后再发。");
    await t.say(S, `/tip ${"提".repeat(1000)}`);
    expect(api.lastText(S)).toBe("没有可以发送的成员。");
    expect(await t.storage.jobs.active()).toEqual([]);
  });
});

describe("a tip the guard stops or warns about", () => {
  it("blocked: the sender sees the topic, why, and a compliant rewrite", async () => {
    const t = await team();
    await t.say(S, "/tip 跟客户说再不还钱就让他坐牢");
    const reply = api.lastText(S);
    expect(reply).toContain("没有发送");
    expect(reply).toMatch(/• .+：.*刑事/);
    expect(reply).toContain("可以改成：");
    expect(reply).not.toContain("让他坐牢");
    await settle(t);
    expect(tipReceivers()).toEqual([]);
  });

  it("the tip's own words are also read by the learned layer: a veiled threat the rules miss is stopped", async () => {
    const t = await team();
    await t.say(S, "/tip 你最好想清楚，我们的人随时都能找到你");
    expect(api.lastText(S)).toContain("没有发送");
    await settle(t);
    expect(tipReceivers()).toEqual([]);
  });

  it("warned: only the supervisor who wrote it can confirm; the buttons go once pressed", async () => {
    const t = await team();
    await t.say(S, `/tip ${WARN_TIP}`);
    expect(api.lastText(S)).toContain("确定仍要发送吗？");
    const confirm = t.buttons(S).find((b) => b.text === "确定发送")!;
    // another supervisor of the team sends the same button's data (signed as theirs)
    await t.callback(S2, confirm.callback_data!.replace(/\.[^.]*$/, ""));
    expect(api.lastText(S2)).toBe("这个按钮已失效，请重新提问。");
    await settle(t);
    expect(tipReceivers()).toEqual([]);
    // the writer still can
    await t.callback(S, confirm.callback_data!, undefined, true);
    expect(api.sent("editMessageReplyMarkup", S)).toHaveLength(1);
    expect(api.lastText(S)).toContain("正在发给 3 人");
    await settle(t);
    expect(tipReceivers()).toEqual([C, C2, S2]);
  });

  it("a warned tip waits an hour for its confirmation, then the button has lapsed", async () => {
    // a supervisor alone in their team: a confirmation that is still valid answers 「nobody to send to」
    const t = await createTestBot({ api });
    open.push(t);
    await t.register(S, "supervisor", "东区");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      await t.say(S, `/tip ${WARN_TIP}`);
      const first = t.buttons(S).find((b) => b.text === "确定发送")!;
      await t.say(S, `/tip ${WARN_TIP}。`);
      const second = t.buttons(S).find((b) => b.text === "确定发送")!;
      vi.setSystemTime(Date.now() + 59 * 60_000);
      await t.callback(S, first.callback_data!, undefined, true);
      expect(api.lastText(S)).toBe("没有可以发送的成员。");
      vi.setSystemTime(Date.now() + 2 * 60_000);
      await t.callback(S, second.callback_data!, undefined, true);
      expect(api.lastText(S)).toBe("这个按钮已失效，请重新提问。");
    } finally {
      vi.useRealTimers();
    }
  });
});
