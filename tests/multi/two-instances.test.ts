import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../bot/fake-api.ts";
import { ADMIN, collector, fixtureQuiz, testCoach } from "../bot/helpers.ts";
import { callback, msg, pollAnswer, REDIS_URL, startCluster, updateId } from "./cluster.ts";

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

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const refused = (chatId: number) => api.lastText(chatId).includes("邀请");

describe.skipIf(!REDIS_URL)("two webhook instances on one Redis", () => {
  it("counts 500 concurrent quiz answers, 👍 and unanswered questions exactly", async () => {
    const { a, b } = cluster;
    const users = range(7000, 10);
    for (const id of users) await a.storage.users.put(collector(id, "北区"));
    const q = fixtureQuiz()[0]!;
    const polls = users.flatMap((id) => range(0, 50).map((k) => ({ id, pollId: `p-${id}-${k}`, k })));
    for (const p of polls)
      await a.storage.quiz.putPoll({
        pollId: p.pollId,
        userId: p.id,
        chatId: p.id,
        questionId: q.id,
        sentAt: "x",
      });

    const entry = [...testCoach().entries.keys()][0]!;
    await Promise.all([
      ...polls.map((p, i) => (i % 2 ? a : b).send(pollAnswer(p.id, p.pollId, p.k % 5 === 0 ? q.answer : 9))),
      ...range(0, 500).map((i) => (i % 2 ? b : a).send(callback(users[i % 10]!, `fu:${entry}`))),
      ...range(0, 500).map((i) => (i % 2 ? a : b).send(msg(users[i % 10]!, "今天午饭吃什么好呢"))),
    ]);

    const states = await b.storage.quiz.getMany(users);
    expect(states.reduce((n, s) => n + s.stats.answered, 0)).toBe(500);
    expect(states.reduce((n, s) => n + s.stats.correct, 0)).toBe(100);
    expect(states.every((s) => s.stats.answered === 50)).toBe(true);
    // the 👎 below is the 501st vote: the tally it returns shows the 500 👍 all counted
    expect(await a.storage.gaps.feedback(entry, "down")).toEqual({ up: 500, down: 1 });
    const gaps = await b.storage.gaps.top(["北区"], 5);
    expect(gaps[0]).toMatchObject({ kind: "unanswered", count: 500 });
  }, 180_000); // 1,500 updates through two bots: slow when the whole suite shares two cores

  it("registers on either instance, visible to both at once, with every invite code used once", async () => {
    const { a, b } = cluster;
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) {
      await a.send(msg(ADMIN, "/invite collector 南区"));
      codes.push(/start=([\w-]+)/.exec(api.lastText(ADMIN))![1]!);
    }
    // every code raced by two newcomers, one on each instance
    const newcomers = range(7100, 40);
    await Promise.all(newcomers.map((id, i) => (i % 2 ? b : a).send(msg(id, `/start ${codes[i >> 1]}`))));

    const registered = (await a.storage.users.listTeam("南区")).map((u) => u.id);
    expect(registered).toHaveLength(20); // one per code, none lost from the list
    expect((await b.storage.users.listTeam("南区")).map((u) => u.id)).toEqual(registered);
    for (let i = 0; i < 20; i++) {
      const winners = [newcomers[2 * i]!, newcomers[2 * i + 1]!].filter((id) => registered.includes(id));
      expect(winners).toHaveLength(1);
    }
    // a burst of registrations written by both instances at once: none lost from the user list
    const burst = range(7500, 200);
    await Promise.all(burst.map((id, i) => (i % 2 ? a : b).storage.users.put(collector(id, "中区"))));
    expect((await a.storage.users.listTeam("中区")).map((u) => u.id)).toEqual(burst);
    // a newcomer registered on one instance is answered by the other at once
    for (const id of registered) {
      const other = newcomers.indexOf(id) % 2 ? a : b;
      await other.send(msg(id, "客户说没钱怎么办"));
      expect(refused(id)).toBe(false);
    }
  });

  it("sees role, /daily and removal changes made on the other instance at once", async () => {
    const { a, b } = cluster;
    const id = 7200;
    await a.storage.users.put(collector(id, "西区"));
    await b.send(msg(id, "/team"));
    expect(api.lastText(id)).toContain("没有权限");
    await a.send(msg(ADMIN, `/role ${id} supervisor`));
    await b.send(msg(id, "/team"));
    expect(api.lastText(id)).not.toContain("没有权限");

    await b.send(msg(id, "/daily 08:30"));
    expect((await a.storage.users.get(id))?.daily).toMatchObject({ enabled: true, time: "08:30" });
    await a.send(msg(id, "/daily off"));
    await b.send(msg(id, "/daily"));
    expect((await b.storage.users.get(id))?.daily.enabled).toBe(false);

    await a.send(msg(ADMIN, `/remove ${id}`));
    await b.send(msg(id, "客户说没钱怎么办"));
    expect(refused(id)).toBe(true);
  });

  it("pushes the daily quiz once per subscriber with both instances ticking", async () => {
    const { a, b } = cluster;
    const subscribers = range(7300, 40);
    for (const id of subscribers)
      await a.storage.users.put({ ...collector(id, "东区"), daily: { enabled: true, time: "09:00" } });
    // both start: one job scheduler for the two of them, so one tick per minute slot
    await Promise.all([a.app.daily.start(), b.app.daily.start()]);
    const queue = a.app.queue!.queue;
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect((await queue.getDelayed()).filter((j) => j.name === "daily-tick")).toHaveLength(1);
    // 10:00 Shanghai: due; even when both tick in the same minute, twice, each push goes out once
    const queued = await Promise.all([a.app.daily.tick(), b.app.daily.tick()]);
    await Promise.all([a.app.daily.tick(), b.app.daily.tick()]);
    expect(queued).toEqual([40, 40]);
    await a.app.queue!.idle();
    for (const id of subscribers) expect(api.sent("sendPoll", id)).toHaveLength(1);
    expect(
      a.metrics.value("coach_deliveries_total", { kind: "daily", result: "sent" }) +
        b.metrics.value("coach_deliveries_total", { kind: "daily", result: "sent" }),
    ).toBe(40);
  });

  it("handles two messages of one chat that reach both instances one after the other", async () => {
    const { a, b } = cluster;
    const id = 7450;
    await a.storage.users.put(collector(id, "北区"));
    api.latencyMs = 150; // each reply takes 150 ms to be accepted
    const before = api.sent("sendMessage", id).length;
    await Promise.all([a.send(msg(id, "/help")), b.send(msg(id, "/stats"))]);
    api.latencyMs = 0;
    const [first, second] = api.sent("sendMessage", id).slice(before);
    // the second update starts only after the first one's reply went out, on whichever instance
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(140);
  });

  it("handles a redelivered update once, whichever instance it reaches", async () => {
    const { a, b } = cluster;
    const id = 7400;
    await a.storage.users.put(collector(id, "北区"));
    const entry = [...testCoach().entries.keys()][1]!;
    const vote = callback(id, `fu:${entry}`);
    const uid = updateId();
    const answers = await Promise.all([a.post(vote, uid), b.post(vote, uid), a.post(vote, uid)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await b.post(vote, uid);
    expect(await a.storage.gaps.feedback(entry, "down")).toEqual({ up: 1, down: 1 });
    const dup =
      a.metrics.value("coach_updates_total", { outcome: "duplicate" }) +
      b.metrics.value("coach_updates_total", { outcome: "duplicate" });
    expect(dup).toBe(3);
  });

  it("serves readiness and Prometheus metrics", async () => {
    const { a } = cluster;
    expect((await fetch(`${a.base}/ready`)).status).toBe(200);
    const text = await (await fetch(`${a.base}/metrics`)).text();
    expect(text).toMatch(/coach_updates_total\{outcome="ok"\} \d+/);
    expect(text).toContain("coach_update_duration_seconds_count");
    expect(text).toContain("coach_storage_errors_total");
  });
});
