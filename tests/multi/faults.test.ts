import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorage, StorageError } from "../../src/storage/index.ts";
import { FakeBotApi } from "../bot/fake-api.ts";
import { collector, FakeClock } from "../bot/helpers.ts";
import { deleteNamespace, type Instance, msg, REDIS_URL, startInstance } from "./cluster.ts";
import { CuttableProxy } from "./proxy.ts";

const api = new FakeBotApi();
const target = REDIS_URL ? new URL(REDIS_URL) : undefined;
const proxy = new CuttableProxy({
  host: target?.hostname ?? "127.0.0.1",
  port: Number(target?.port || 6379),
});
const namespace = `i10f-${randomUUID()}`;
let bot: Instance;

beforeAll(async () => {
  if (!REDIS_URL) return;
  await api.start();
  await proxy.start();
  // the instance talks to Redis through the proxy
  const via = `redis://127.0.0.1:${proxy.port}${target!.pathname}`;
  bot = await startInstance(api, namespace, new FakeClock(new Date("2026-03-02T02:00:00Z")), via);
});
afterAll(async () => {
  if (!REDIS_URL) return;
  await bot?.stop();
  await proxy.stop();
  await api.stop();
  await deleteNamespace(namespace);
});

const waitReady = async (i: Instance) => {
  for (let t = 0; t < 100; t++) {
    if (
      await i.storage.kv.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("Redis did not come back");
};

describe.skipIf(!REDIS_URL)("Redis faults", () => {
  it("a Redis drop is an error, not 'no value': the user is asked to retry and nothing is reset", async () => {
    const id = 7600;
    await bot.storage.users.put({ ...collector(id, "北区"), daily: { enabled: true, time: "09:00" } });
    await bot.send(msg(id, "客户说没钱怎么办"));
    expect(api.lastText(id)).not.toContain("邀请");

    await proxy.cut();
    await bot.send(msg(id, "客户说没钱怎么办"));
    expect(api.lastText(id)).toContain("稍后再试"); // not the stranger's refusal
    await bot.send(msg(id, "/daily off"));
    expect(api.lastText(id)).toContain("稍后再试"); // not a false confirmation
    expect((await fetch(`${bot.base}/ready`)).status).toBe(503);
    expect((await fetch(`${bot.base}/health`)).status).toBe(200);
    expect(bot.metrics.total("coach_storage_errors_total")).toBeGreaterThanOrEqual(2);
    expect(await fetch(`${bot.base}/metrics`).then((r) => r.text())).toMatch(
      /coach_storage_errors_total\{op="\w+",fault="not connected"\} \d+/,
    );

    await proxy.restore();
    await waitReady(bot);
    const u = await bot.storage.users.get(id);
    expect(u?.role).toBe("collector"); // still registered
    expect(u?.daily.enabled).toBe(true); // the refused /daily off changed nothing
    await bot.send(msg(id, "客户说没钱怎么办"));
    expect(api.lastText(id)).not.toContain("稍后再试");
    expect((await fetch(`${bot.base}/ready`)).status).toBe(200);
  });

  it("start-up with Redis down names REDIS_URL (no password), retries, then gives up loudly", async () => {
    const retries: number[] = [];
    const err = await createStorage({
      dataDir: "unused",
      redisUrl: "redis://:hunter2@127.0.0.1:1/0",
      connectAttempts: 2,
      onRetry: (_e, attempt) => retries.push(attempt),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toContain("REDIS_URL=redis://127.0.0.1:1/0");
    expect((err as Error).message).toContain("connection refused");
    expect((err as Error).message).not.toContain("hunter2");
    expect(retries).toEqual([1]);
  });

  it("a tip being delivered when Redis drops carries on when it returns: nobody twice, one report", async () => {
    const sender = 7650;
    const members = Array.from({ length: 40 }, (_, i) => 7651 + i);
    await bot.storage.users.put({ ...collector(sender, "北区"), role: "supervisor" });
    for (const id of members) await bot.storage.users.put(collector(id, "北区"));
    const tipsTo = (id: number) =>
      api.sent("sendMessage", id).filter((c) => String(c.payload.text).includes("回访"));
    api.latencyMs = 20;
    const job = await bot.app.broadcaster.enqueue({
      senderId: sender,
      senderChatId: sender,
      text: "今天下午记得回访承诺还款的客户。",
      allowWarn: false,
      recipients: members,
    });
    while (members.filter((id) => tipsTo(id).length).length < 10) await new Promise((r) => setTimeout(r, 10));
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 1500));
    const duringCut = members.filter((id) => tipsTo(id).length).length;
    await proxy.restore();
    await waitReady(bot);
    const report = (await bot.app.broadcaster.wait(job.id))!;
    api.latencyMs = 0;

    expect(duringCut).toBeLessThan(40); // the drop did stop delivery
    for (const id of members) expect(tipsTo(id).length).toBeLessThanOrEqual(1);
    // what was in flight at the drop may have gone out and is reported unknown, never resent;
    // everything else is delivered once Redis is back
    expect(report.sent + report.unknown).toBe(40);
    expect(report.unknown).toBeLessThanOrEqual(12);
    expect(members.filter((id) => tipsTo(id).length === 1).length).toBeGreaterThanOrEqual(report.sent);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.sent("sendMessage", sender)).toHaveLength(1);
  }, 60_000);
});
