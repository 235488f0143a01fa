import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../bot/fake-api.ts";
import { collector } from "../bot/helpers.ts";
import { REDIS_URL, startCluster, startInstance } from "./cluster.ts";

const api = new FakeBotApi();
let cluster: Awaited<ReturnType<typeof startCluster>>;
beforeAll(async () => {
  await api.start();
  cluster = await startCluster(api);
});
afterAll(async () => {
  await cluster?.stop();
  await api.stop();
});

const TIP = "请记得先核实客户身份，再说明来电目的。";
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const tipsTo = (id: number) =>
  api.sent("sendMessage", id).filter((c) => String(c.payload.text).includes("核实客户身份"));

describe.skipIf(!REDIS_URL)("tips with two instances", () => {
  it("delivers a tip exactly once per member across a rolling restart, with one report", async () => {
    const { a, b, clock, namespace } = cluster;
    const sender = 7700;
    const members = range(7701, 60);
    await a.storage.users.put({ ...collector(sender, "北区"), role: "supervisor" });
    for (const id of members) await a.storage.users.put(collector(id, "北区"));
    api.latencyMs = 15;

    const job = await a.app.broadcaster.enqueue({
      senderId: sender,
      senderChatId: sender,
      text: TIP,
      allowWarn: false,
      recipients: members,
    });
    // B starts while A delivers: it must leave the job to A
    await b.app.broadcaster.resumeAll();
    while (members.filter((id) => tipsTo(id).length).length < 15) await new Promise((r) => setTimeout(r, 10));
    expect(await b.app.broadcaster.wait(job.id)).toBeUndefined();

    // A is stopped for the deploy (graceful), and a fresh instance C takes over next to B
    await a.app.broadcaster.stop();
    const c = await startInstance(api, namespace, clock);
    await Promise.all([b.app.broadcaster.resumeAll(), c.app.broadcaster.resumeAll()]);
    await Promise.all([b.app.broadcaster.wait(job.id), c.app.broadcaster.wait(job.id)]);
    api.latencyMs = 0;

    for (const id of members) expect(tipsTo(id)).toHaveLength(1);
    const reports = api.sent("sendMessage", sender);
    expect(reports).toHaveLength(1);
    const delivered = (i: typeof b) =>
      i.metrics.value("coach_deliveries_total", { kind: "tip", result: "sent" });
    expect(delivered(b) + delivered(c)).toBe(60);
    expect(await fetch(`${b.base}/metrics`).then((r) => r.text())).toContain("coach_tip_jobs_active 0");
    expect(await b.storage.jobs.active()).toEqual([]);
    // later restarts find nothing to do: no second report
    await Promise.all([b.app.broadcaster.resumeAll(), c.app.broadcaster.resumeAll()]);
    await new Promise((r) => setTimeout(r, 100));
    expect(api.sent("sendMessage", sender)).toHaveLength(1);
    await c.stop();
  });

  it("when the sending instance dies mid-job, another finishes it without sending anyone twice", async () => {
    const { b, clock, namespace } = cluster;
    const sender = 7800;
    const members = range(7801, 40);
    await b.storage.users.put({ ...collector(sender, "南区"), role: "supervisor" });
    for (const id of members) await b.storage.users.put(collector(id, "南区"));
    const dying = await startInstance(api, namespace, clock, REDIS_URL, { tipLeaseMs: 600 });
    const survivor = await startInstance(api, namespace, clock, REDIS_URL, { tipLeaseMs: 600 });
    let seen = 0;
    const off = api.onCall((c) => {
      if (c.method === "sendMessage" && String(c.payload.text).includes("核实客户身份") && ++seen === 10)
        api.holdSends = true; // the next answers never come back to the dying instance
    });
    const job = await dying.app.broadcaster.enqueue({
      senderId: sender,
      senderChatId: sender,
      text: TIP,
      allowWarn: false,
      recipients: members,
    });
    while (seen < 10) await new Promise((r) => setTimeout(r, 5));
    off();
    // kill -9: its connection to Redis is gone, so it renews nothing and records nothing more
    await dying.storage.close();
    api.holdSends = false; // what it had in flight stays held; new sends go through
    survivor.app.broadcaster.watch(200);
    const t0 = Date.now();
    while ((await survivor.storage.jobs.active()).length && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    await survivor.app.broadcaster.wait(job.id);
    api.releaseHeld(); // the dead instance's requests finally land
    await new Promise((r) => setTimeout(r, 100));

    for (const id of members) expect(tipsTo(id).length).toBeLessThanOrEqual(1);
    const report = (await survivor.storage.jobs.report(job.id))!;
    expect(report.total).toBe(40);
    expect(report.sent + report.unknown).toBe(40);
    expect(report.sent).toBeGreaterThan(10); // the survivor delivered the rest
    expect(api.sent("sendMessage", sender)).toHaveLength(1);
    await dying.app.broadcaster.stop().catch(() => undefined);
    await survivor.stop();
  });

  it("keeps the global send rate with two jobs on two instances at once", async () => {
    const { clock, namespace } = cluster;
    const rate = 20;
    const x = await startInstance(api, namespace, clock, REDIS_URL, { config: { BROADCAST_RATE: rate } });
    const y = await startInstance(api, namespace, clock, REDIS_URL, { config: { BROADCAST_RATE: rate } });
    const teams = [range(7901, 30), range(7951, 30)];
    for (const id of teams.flat()) await x.storage.users.put(collector(id, "东区"));
    await x.storage.users.put({ ...collector(7900, "东区"), role: "supervisor" });
    const from = Date.now();
    const jobs = await Promise.all(
      [x, y].map((i, k) =>
        i.app.broadcaster.enqueue({
          senderId: 7900,
          senderChatId: 7900,
          text: TIP,
          allowWarn: false,
          recipients: teams[k]!,
        }),
      ),
    );
    await Promise.all([x.app.broadcaster.wait(jobs[0]!.id), y.app.broadcaster.wait(jobs[1]!.id)]);
    const perSecond = new Map<number, number>();
    for (const c of api
      .sent("sendMessage")
      .filter((c) => c.at >= from && teams.flat().includes(Number(c.payload.chat_id))))
      perSecond.set(Math.floor(c.at / 1000), (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1);
    for (const id of teams.flat()) expect(tipsTo(id)).toHaveLength(1);
    // each instance alone paces to 20/s; together, without the shared budget, ~40/s
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(rate + 2);
    await x.stop();
    await y.stop();
  });
});
