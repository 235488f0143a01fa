import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../bot/fake-api.ts";
import { collector, FakeClock } from "../bot/helpers.ts";
import { legacyTip } from "../broadcast/helpers.ts";
import { deleteNamespace, type Instance, REDIS_URL, startInstance } from "./cluster.ts";

/** What a supervisor and the members notice when tips go through the shared delivery queue. */
const api = new FakeBotApi();
const namespace = `i10q-${randomUUID()}`;
let bot: Instance;
beforeAll(async () => {
  if (!REDIS_URL) return;
  await api.start();
  bot = await startInstance(api, namespace, new FakeClock(new Date("2026-03-02T02:00:00Z")));
});
afterAll(async () => {
  if (!REDIS_URL) return;
  await bot?.stop();
  await api.stop();
  await deleteNamespace(namespace);
});

const tipsTo = (id: number, word: string) =>
  api.sent("sendMessage", id).filter((c) => String(c.payload.text).includes(word));
const tip = (text: string, recipients: number[], sender = 9000) =>
  bot.app.broadcaster.enqueue({ senderId: sender, senderChatId: sender, text, allowWarn: false, recipients });

describe.skipIf(!REDIS_URL)("tips on the delivery queue", () => {
  it("marks a member who blocked the bot inactive, counts a refused chat as failed, and says so in the report", async () => {
    const members = [9001, 9002, 9003, 9004];
    for (const id of members) await bot.storage.users.put(collector(id, "北区"));
    api.failAlways.set(9002, { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    api.failAlways.set(9003, { error_code: 400, description: "Bad Request: chat not found" });
    const job = await tip("周五前把承诺还款的客户再回访一遍。", members);
    const report = await bot.app.broadcaster.wait(job.id);
    api.failAlways.clear();
    expect(report).toMatchObject({ sent: 2, inactive: 1, failed: 1, unknown: 0, total: 4 });
    expect((await bot.storage.users.get(9002))?.active).toBe(false);
    expect((await bot.storage.users.get(9003))?.active).toBe(true); // refused once, not blocked
    // a refused message is not tried again
    expect(
      api.calls.filter((c) => c.method === "sendMessage:failed" && c.payload.chat_id === 9003),
    ).toHaveLength(1);
  });

  it("keeps one message per second in a chat when two tips reach it at once", async () => {
    const members = [9101, 9102];
    for (const id of members) await bot.storage.users.put(collector(id, "南区"));
    const jobs = await Promise.all([
      tip("第一条：先核实身份。", members),
      tip("第二条：再说明来意。", members),
    ]);
    for (const j of jobs) await bot.app.broadcaster.wait(j.id);
    for (const id of members) {
      const times = [...tipsTo(id, "第一条"), ...tipsTo(id, "第二条")].map((c) => c.at).sort((a, b) => a - b);
      expect(times).toHaveLength(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    }
  });

  it("picks up at start a stored job the queue does not hold, without resending what went out", async () => {
    const members = [9201, 9202, 9203];
    for (const id of members) await bot.storage.users.put(collector(id, "西区"));
    // written by the embedded path before the switch to Redis: half delivered, not on the queue
    await bot.storage.jobs.create(legacyTip(members));
    await bot.storage.jobs.mark("legacy", [[9201, "sent"]]);
    await bot.app.broadcaster.resumeAll();
    const report = await bot.app.broadcaster.wait("legacy");
    expect(report).toMatchObject({ sent: 3, unknown: 0, total: 3 });
    expect(tipsTo(9201, "旧任务")).toHaveLength(0);
    expect(tipsTo(9202, "旧任务")).toHaveLength(1);
    expect(tipsTo(9203, "旧任务")).toHaveLength(1);
  });

  it("reports a tip with nobody to send to at once", async () => {
    const before = api.sent("sendMessage", 9300).length;
    const job = await tip("没有收件人的提示。", [], 9300);
    expect(await bot.app.broadcaster.wait(job.id)).toMatchObject({ sent: 0, total: 0 });
    expect(api.sent("sendMessage", 9300).length).toBe(before + 1);
  });
});
