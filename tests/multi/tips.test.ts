import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../bot/fake-api.ts";
import { collector } from "../bot/helpers.ts";
import { deleteNamespace, REDIS_URL, startCluster, startInstance } from "./cluster.ts";

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
const until = async (done: () => boolean | Promise<boolean>, ms = 20_000) => {
  const t0 = Date.now();
  while (!(await done())) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** An instance in a process of its own, working the queue, that a test can kill -9. */
async function spawnInstance(namespace: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./instance-process.ts", import.meta.url).pathname],
    {
      env: { ...process.env, API_URL: api.url, NAMESPACE: namespace, REDIS_URL: REDIS_URL!, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return child;
}

describe.skipIf(!REDIS_URL)("tips with two instances (BullMQ delivery queue)", () => {
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
    await until(() => members.filter((id) => tipsTo(id).length).length >= 15);
    // A is stopped for the deploy (it finishes what it holds, takes nothing new); C starts next to B
    await a.app.broadcaster.stop();
    const c = await startInstance(api, namespace, clock);
    const report = await c.app.broadcaster.wait(job.id);
    api.latencyMs = 0;

    expect(report).toMatchObject({ sent: 60, failed: 0, unknown: 0, total: 60 });
    for (const id of members) expect(tipsTo(id)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.sent("sendMessage", sender)).toHaveLength(1);
    const delivered = (i: typeof b) =>
      i.metrics.value("coach_deliveries_total", { kind: "tip", result: "sent" });
    expect(delivered(a) + delivered(b) + delivered(c)).toBe(60);
    const metrics = await fetch(`${b.base}/metrics`).then((r) => r.text());
    expect(metrics).toContain("coach_tip_jobs_active 0");
    expect(metrics).toContain("coach_delivery_queue_depth 0");
    expect(await b.storage.jobs.active()).toEqual([]);
    await c.stop();
  });

  it("when the sending instance is killed (SIGKILL) mid-job, another finishes it and nobody gets it twice", async () => {
    const namespace = `i10k-${randomUUID()}`;
    const { clock } = cluster;
    const sender = 7800;
    const members = range(7801, 40);
    // the survivor queues the tip but works nothing yet: the doomed process alone delivers
    const survivor = await startInstance(api, namespace, clock, REDIS_URL, {
      worker: false,
      tipLeaseMs: 1000,
    });
    await survivor.storage.users.put({ ...collector(sender, "南区"), role: "supervisor" });
    for (const id of members) await survivor.storage.users.put(collector(id, "南区"));
    const doomed = await spawnInstance(namespace, { LOCK_MS: "1000", RATE: "50" });
    let seen = 0;
    const off = api.onCall((c) => {
      if (c.method === "sendMessage" && String(c.payload.text).includes("核实客户身份") && ++seen === 10)
        doomed.kill("SIGKILL");
    });
    const job = await survivor.app.broadcaster.enqueue({
      senderId: sender,
      senderChatId: sender,
      text: TIP,
      allowWarn: false,
      recipients: members,
    });
    await new Promise((r) => doomed.once("exit", r));
    off();
    const deliveredByDoomed = members.filter((id) => tipsTo(id).length).length;
    expect(deliveredByDoomed).toBeLessThan(40);

    // its jobs' locks lapse (1 s) and the survivor's stalled-job check takes them over
    survivor.app.broadcaster.start();
    const report = (await survivor.app.broadcaster.wait(job.id))!;
    await new Promise((r) => setTimeout(r, 200));

    for (const id of members) expect(tipsTo(id).length).toBeLessThanOrEqual(1);
    expect(report.total).toBe(40);
    expect(report.sent + report.unknown).toBe(40);
    // the survivor delivered the rest; only those the dead process had in flight stay unknown
    expect(report.sent).toBeGreaterThanOrEqual(40 - deliveredByDoomed - 4);
    expect(members.filter((id) => tipsTo(id).length === 0).length).toBeLessThanOrEqual(report.unknown);
    expect(api.sent("sendMessage", sender)).toHaveLength(1);
    await survivor.stop();
    await deleteNamespace(namespace);
  }, 60_000);

  it("keeps the global send rate with two jobs on two instances at once", async () => {
    const namespace = `i10r-${randomUUID()}`;
    const { clock } = cluster;
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
    const times = api
      .sent("sendMessage")
      .filter((c) => c.at >= from && teams.flat().includes(Number(c.payload.chat_id)))
      .map((c) => c.at);
    for (const id of teams.flat()) expect(tipsTo(id)).toHaveLength(1);
    // both instances' workers share one limiter: no one-second window above the rate (+1 for the
    // window edges, +1 for timer jitter); each alone would send 20/s, so 40/s unshared
    for (const t0 of times)
      expect(times.filter((t) => t >= t0 && t < t0 + 1000).length).toBeLessThanOrEqual(rate + 2);
    // and the limit is used: 60 messages at 20/s take about 3 s, not 6
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(4500);
    await x.stop();
    await y.stop();
    await deleteNamespace(namespace);
  }, 60_000);
});
