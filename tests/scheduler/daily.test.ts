import Keyv from "keyv";
import { describe, expect, it, vi } from "vitest";
import { DailyPush, isDue } from "../../src/scheduler/daily.ts";
import { daysBetween, isoWeek, localTime } from "../../src/scheduler/time.ts";
import { type Storage, storageOver } from "../../src/storage/index.ts";
import { Kv } from "../../src/storage/kv.ts";
import type { User } from "../../src/storage/users.ts";
import { recordingLogger } from "../broadcast/helpers.ts";
import { NINE, subscriber, ZONE } from "./helpers.ts";

/** Daily quiz pushes and the team's wall clock: what time it is for the team, and who gets a push when. */
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

describe("the team's wall clock", () => {
  it("reads date, time and ISO week in the team's zone, with midnight as 00:00", () => {
    expect(localTime(new Date("2026-03-01T16:05:00Z"), ZONE)).toEqual({
      date: "2026-03-02",
      time: "00:05",
      week: "2026-W10",
    });
    expect(localTime(new Date("2026-03-01T16:05:00Z"), "UTC")).toMatchObject({
      date: "2026-03-01",
      time: "16:05",
    });
  });

  it("numbers ISO weeks across year ends (a Sunday belongs to the week before)", () => {
    expect(isoWeek("2026-01-01")).toBe("2026-W01"); // a Thursday
    expect(isoWeek("2027-01-01")).toBe("2026-W53"); // a Friday: the last week of 2026
    expect(isoWeek("2024-12-30")).toBe("2025-W01"); // a Monday: the first week of 2025
    expect(isoWeek("2026-03-08")).toBe("2026-W10"); // a Sunday
    expect(isoWeek("2026-03-09")).toBe("2026-W11"); // the Monday after
  });

  it("counts whole days between local dates", () => {
    expect(daysBetween("2026-03-01", "2026-03-02")).toBe(1);
    expect(daysBetween("2026-02-27", "2026-03-02")).toBe(3);
    expect(daysBetween("2026-03-02", "2026-03-01")).toBe(-1);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
  });
});

describe("who is due a push", () => {
  it("from the chosen minute on, in the team's zone, once a day", () => {
    const u = subscriber(1, "09:00");
    expect(isDue(u, minutes(NINE, -1), ZONE)).toBe(false);
    expect(isDue(u, NINE, ZONE)).toBe(true);
    expect(isDue(u, minutes(NINE, 600), ZONE)).toBe(true);
    expect(isDue({ ...u, daily: { ...u.daily, lastPushDate: "2026-03-02" } }, NINE, ZONE)).toBe(false);
    expect(isDue({ ...u, daily: { ...u.daily, lastPushDate: "2026-03-01" } }, NINE, ZONE)).toBe(true);
    // 09:00 in Shanghai is 01:00 UTC: for a team in UTC it is not time yet
    expect(isDue(u, NINE, "UTC")).toBe(false);
  });

  it("never for someone who turned pushes off or left", () => {
    const u = subscriber(1);
    expect(isDue({ ...u, daily: { ...u.daily, enabled: false } }, NINE, ZONE)).toBe(false);
    expect(isDue({ ...u, active: false }, NINE, ZONE)).toBe(false);
  });
});

function pushes(
  users: User[],
  options: { fail?: (u: User) => boolean | Error; clock?: { now: () => Date } } = {},
) {
  const storage: Storage = storageOver(new Kv(new Keyv(), "sqlite", async () => undefined));
  const pushed: number[] = [];
  const sleeps: number[] = [];
  const logger = recordingLogger();
  const daily = new DailyPush({
    users: storage.users,
    clock: options.clock ?? { now: () => NINE },
    timeZone: ZONE,
    logger,
    rate: 20,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    push: async (u) => {
      const f = options.fail?.(u);
      if (f instanceof Error) throw f;
      if (f) return false;
      pushed.push(u.id);
      return true;
    },
  });
  const ready = Promise.all(users.map((u) => storage.users.put(u)));
  return { storage, daily, pushed, sleeps, logger, ready };
}

describe("daily pushes", () => {
  it("sends every due push once, paced to the rate, and records the day", async () => {
    const p = pushes([subscriber(1), subscriber(2, "08:30"), subscriber(3, "10:00")]);
    await p.ready;
    expect(await p.daily.tick()).toBe(2);
    expect(p.pushed.sort()).toEqual([1, 2]);
    expect(p.sleeps).toEqual([50, 50]);
    expect((await p.storage.users.get(1))?.daily.lastPushDate).toBe("2026-03-02");
    expect((await p.storage.users.get(3))?.daily.lastPushDate).toBeUndefined();
    expect(p.logger.lines).toContainEqual(
      expect.objectContaining({
        level: "info",
        msg: "daily pushes sent",
        ctx: { sent: 2, date: "2026-03-02" },
      }),
    );
    expect(await p.daily.tick()).toBe(0);
    expect(p.pushed).toHaveLength(2);
  });

  it("a push that fails is logged and the others still go out; it is not retried the same day", async () => {
    const p = pushes([subscriber(1), subscriber(2), subscriber(3)], {
      fail: (u) => (u.id === 2 ? new Error("blocked") : u.id === 3),
    });
    await p.ready;
    expect(await p.daily.tick()).toBe(1);
    expect(p.pushed).toEqual([1]);
    expect(p.logger.lines).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "daily push failed", ctx: { user: 2, err: "blocked" } }),
    );
    expect(await p.daily.tick()).toBe(0);
  });

  it("nothing sent, nothing logged, when nobody is due", async () => {
    const p = pushes([subscriber(1, "10:00")]);
    await p.ready;
    expect(await p.daily.tick()).toBe(0);
    expect(p.logger.lines).toEqual([]);
    expect(p.sleeps).toEqual([]);
  });

  it("someone who turned pushes off or was removed after the list was read gets nothing", async () => {
    const p = pushes([subscriber(1), subscriber(2), subscriber(3)]);
    await p.ready;
    // the claim is where another instance's change lands between the list and the push
    const claim = p.storage.users.claimDaily.bind(p.storage.users);
    p.storage.users.claimDaily = async (id, date) => {
      if (id === 1) await p.storage.users.patch(1, (u) => ({ ...u, daily: { ...u.daily, enabled: false } }));
      if (id === 2) await p.storage.users.patch(2, (u) => ({ ...u, active: false }));
      return claim(id, date);
    };
    expect(await p.daily.tick()).toBe(1);
    expect(p.pushed).toEqual([3]);
  });

  it("a day claimed by another instance is left to it, and costs no send slot", async () => {
    const p = pushes([subscriber(1), subscriber(2)]);
    await p.ready;
    expect(await p.storage.users.claimDaily(1, "2026-03-02")).toBe(true);
    expect(await p.daily.tick()).toBe(1);
    expect(p.pushed).toEqual([2]);
    expect(p.sleeps).toEqual([50]); // one push at 20 a second
  });

  it("overlapping ticks share one run: nobody gets two pushes", async () => {
    const p = pushes([subscriber(1), subscriber(2)]);
    await p.ready;
    const [a, b] = await Promise.all([p.daily.tick(), p.daily.tick()]);
    expect([a, b]).toEqual([2, 2]);
    expect(p.pushed).toHaveLength(2);
    // and the next tick is a new run
    await p.storage.users.put(subscriber(3, "09:00"));
    expect(await p.daily.tick()).toBe(1);
  });

  it("start pushes what is due at once (pushes missed while down), stop waits for the run", async () => {
    const p = pushes([subscriber(1)]);
    await p.ready;
    p.daily.start();
    await p.daily.stop();
    expect(p.pushed).toEqual([1]);
  });

  it("after start, a push that comes due later goes out within the minute", async () => {
    vi.useFakeTimers({ now: minutes(NINE, -2) });
    try {
      const p = pushes([subscriber(1)], { clock: { now: () => new Date() } });
      await p.ready;
      p.daily.start();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(p.pushed).toEqual([]);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(p.pushed).toEqual([1]);
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(p.pushed).toEqual([1]);
      await p.daily.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
