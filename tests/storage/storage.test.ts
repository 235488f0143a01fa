import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import { newUser, type User } from "../../src/storage/users.ts";

const dir = mkdtempSync(join(tmpdir(), "coach-storage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: Array<[string, () => Promise<Storage>]> = [
  ["sqlite", () => createStorage({ dataDir: dir, namespace: `t${Math.random()}` })],
];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  backends.push([
    "redis",
    () => createStorage({ dataDir: dir, redisUrl: url, namespace: `t${Date.now()}${Math.random()}` }),
  ]);
}

const user = (id: number, team: string | null): User =>
  newUser({
    id,
    role: "collector",
    team,
    name: `u${id}`,
    locale: "zh-CN",
    now: new Date(0),
    dailyTime: "09:00",
  });

describe.each(backends)("storage on %s", (_name, open) => {
  it("stores users with a team index and survives reopening", async () => {
    const s = await open();
    await s.users.put(user(1, "a"));
    await s.users.put(user(2, "b"));
    await s.users.put(user(3, "a"));
    await s.users.patch(3, (u) => ({ ...u, active: false }));
    expect((await s.users.listTeam("a")).map((u) => u.id)).toEqual([1, 3]);
    expect(await s.users.remove(2)).toBe(true);
    expect((await s.users.list()).map((u) => u.id)).toEqual([1, 3]);
    // a fresh repository (no cache) over the same store sees the same data
    const { UserRepo } = await import("../../src/storage/users.ts");
    const fresh = new UserRepo(s.kv);
    expect((await fresh.get(3))?.active).toBe(false);
    expect((await fresh.list()).length).toBe(2);
    await s.close();
  });

  it("invites are single-use and expire", async () => {
    const s = await open();
    const now = new Date("2026-01-01T00:00:00Z");
    const inv = await s.invites.create({ role: "collector", team: "a", createdBy: 9 }, 3600_000, now);
    expect(inv.code).toMatch(/^[\w-]{16}$/);
    const [first, second] = await Promise.all([
      s.invites.consume(inv.code, 10, now),
      s.invites.consume(inv.code, 11, now),
    ]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: "used" });
    const old = await s.invites.create({ role: "supervisor", team: null, createdBy: 9 }, 1000, now);
    expect(await s.invites.consume(old.code, 12, new Date(now.getTime() + 2000))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await s.invites.consume("nope", 12, now)).toEqual({ ok: false, reason: "unknown" });
    await s.close();
  });

  it("multi-use invites: a place each, a second /start by the same person is free, revoked is refused", async () => {
    const s = await open();
    const now = new Date("2026-01-01T00:00:00Z");
    const inv = await s.invites.create(
      { role: "collector", team: "a", createdBy: 9, maxUses: 2 },
      3600_000,
      now,
    );
    expect((await s.invites.consume(inv.code, 10, now)).ok).toBe(true);
    expect((await s.invites.consume(inv.code, 10, now)).ok).toBe(true); // same person again
    expect((await s.invites.consume(inv.code, 11, now)).ok).toBe(true);
    expect(await s.invites.consume(inv.code, 12, now)).toEqual({ ok: false, reason: "full" });
    expect(await s.invites.active(now)).toEqual([]); // full: no longer listed
    const other = await s.invites.create(
      { role: "collector", team: "a", createdBy: 9, maxUses: 5 },
      3600_000,
      now,
    );
    expect(await s.invites.revoke(other.code.slice(0, 8), now, (i) => i.createdBy === 8)).toBeUndefined();
    expect((await s.invites.revoke(other.code.slice(0, 8), now, (i) => i.createdBy === 9))?.revoked).toBe(
      true,
    );
    expect(await s.invites.consume(other.code, 13, now)).toEqual({ ok: false, reason: "revoked" });
    // an invite stored before multi-use invites existed (usedBy: one id) still reads as used
    await s.kv.set("invite:legacycode", { ...inv, code: "legacycode", maxUses: undefined, usedBy: 10 });
    expect(await s.invites.consume("legacycode", 14, now)).toEqual({ ok: false, reason: "used" });
    await s.close();
  });

  it("keeps quiz state, polls (first answer only), gaps and job statuses", async () => {
    const s = await open();
    await s.quiz.update(5, (q) => ({ ...q, stats: { ...q.stats, answered: 2, correct: 1 } }));
    expect((await s.quiz.get(5)).stats.answered).toBe(2);
    await s.quiz.putPoll({ pollId: "p1", userId: 5, chatId: 5, questionId: "q", sentAt: "x" });
    expect((await s.quiz.takePoll("p1"))?.questionId).toBe("q");
    expect(await s.quiz.takePoll("p1")).toBeUndefined();
    const at = new Date();
    await s.gaps.record({ team: "a", kind: "unanswered", text: "怎么办？", entryId: null, at });
    await s.gaps.record({ team: "a", kind: "unanswered", text: "怎么办", entryId: null, at });
    await s.gaps.record({ team: "b", kind: "disliked", text: "x", entryId: "e", reason: "wrong", at });
    expect((await s.gaps.top(["a"], 5)).map((g) => g.count)).toEqual([2]);
    expect((await s.gaps.top(["a", "b"], 5)).length).toBe(2);
    await s.jobs.create({
      id: "j1",
      senderId: 1,
      senderChatId: 1,
      text: "t",
      allowWarn: false,
      recipients: [1, 2, 3],
      createdAt: at.toISOString(),
      status: "running",
    });
    await s.jobs.mark("j1", [
      [1, "sent"],
      [2, "inactive"],
    ]);
    expect(await s.jobs.statuses("j1", [1, 2, 3])).toEqual(["sent", "inactive", undefined]);
    expect((await s.jobs.active()).map((j) => j.id)).toEqual(["j1"]);
    await s.jobs.finish("j1", at);
    expect(await s.jobs.active()).toEqual([]);
    expect(await s.jobs.report("j1")).toMatchObject({ sent: 1, inactive: 1, unknown: 1, total: 3 });
    await s.close();
  });
});
