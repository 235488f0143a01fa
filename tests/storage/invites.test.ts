import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InviteRepo, inviteId } from "../../src/storage/invites.ts";
import { Kv } from "../../src/storage/kv.ts";

/**
 * Invite lifetimes as a person with a link sees them: valid up to the second it expires, then
 * "expired" (not "unknown") for a week, a member's second /start always free. The store's clock is
 * faked with the invite clock, so keys expire as they would.
 */
const NOW = new Date("2026-01-01T00:00:00Z");
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW.getTime() + ms);

let kv: Kv;
let invites: InviteRepo;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  kv = new Kv(new Keyv(), "sqlite", async () => undefined);
  invites = new InviteRepo(kv);
});
afterEach(() => {
  vi.useRealTimers();
});

/** consume at a moment, with the store's clock there too */
const joinAt = (code: string, user: number, ms: number) => {
  vi.setSystemTime(at(ms));
  return invites.consume(code, user, at(ms));
};

describe("invite lifetime", () => {
  it("valid until the last millisecond of its lifetime, expired from then on", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 9 }, 72 * HOUR, NOW);
    expect(inv.expiresAt).toBe(at(72 * HOUR).toISOString());
    expect(inv.createdAt).toBe(NOW.toISOString());
    expect(await joinAt(inv.code, 10, 72 * HOUR)).toEqual({ ok: false, reason: "expired" });
    const other = await invites.create({ role: "collector", team: "a", createdBy: 9 }, 72 * HOUR, NOW);
    expect((await joinAt(other.code, 10, 72 * HOUR - 1)).ok).toBe(true);
  });

  it("an expired link says so for a week after it expired, then it is unknown", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 9 }, HOUR, NOW);
    expect(await joinAt(inv.code, 10, HOUR + 7 * DAY - 60_000)).toEqual({ ok: false, reason: "expired" });
    expect(await joinAt(inv.code, 10, HOUR + 7 * DAY + 60_000)).toEqual({ ok: false, reason: "unknown" });
  });

  it("a used personal link says 'used' for a week after its lifetime, not 'unknown'", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 9 }, HOUR, NOW);
    expect((await joinAt(inv.code, 10, 0)).ok).toBe(true);
    expect(await joinAt(inv.code, 11, 30 * 60_000)).toEqual({ ok: false, reason: "used" });
    expect(await joinAt(inv.code, 11, HOUR + 7 * DAY - 60_000)).toEqual({ ok: false, reason: "used" });
    expect(await joinAt(inv.code, 11, HOUR + 7 * DAY + 60_000)).toEqual({ ok: false, reason: "unknown" });
  });

  it("a member's second /start with their link is free, even after it expired", async () => {
    const inv = await invites.create({ role: "supervisor", team: "b", createdBy: 9 }, HOUR, NOW);
    expect((await joinAt(inv.code, 10, 0)).ok).toBe(true);
    const again = await joinAt(inv.code, 10, 2 * HOUR);
    expect(again).toMatchObject({ ok: true, invite: { role: "supervisor", team: "b", usedBy: [10] } });
  });

  it("codes are deep-link safe and anything else is unknown without a look-up", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 9 }, HOUR, NOW);
    expect(inv.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    for (const bad of ["", "a b", "a/b", "x".repeat(65), `${inv.code}!`]) {
      expect(await invites.consume(bad, 10, NOW), bad).toEqual({ ok: false, reason: "unknown" });
    }
    await kv.set(`invite:${"y".repeat(64)}`, { ...inv, code: "y".repeat(64) });
    expect((await invites.consume("y".repeat(64), 10, NOW)).ok).toBe(true);
  });
});

describe("listing and revoking", () => {
  it("lists only usable invites, oldest first, optionally one author's", async () => {
    const a = await invites.create({ role: "collector", team: "a", createdBy: 1 }, 2 * HOUR, NOW);
    const b = await invites.create({ role: "collector", team: "a", createdBy: 2, maxUses: 3 }, HOUR, NOW);
    const used = await invites.create({ role: "collector", team: "a", createdBy: 1 }, HOUR, NOW);
    await invites.consume(used.code, 10, NOW);
    expect((await invites.active(NOW)).map((i) => i.code)).toEqual([a.code, b.code]);
    expect((await invites.active(NOW, 2)).map((i) => i.code)).toEqual([b.code]);
    // b expires at exactly one hour
    expect((await invites.active(at(HOUR - 1))).map((i) => i.code)).toEqual([a.code, b.code]);
    expect((await invites.active(at(HOUR))).map((i) => i.code)).toEqual([a.code]);
    // and a listing after it expired does not bring it back
    expect((await invites.active(NOW)).map((i) => i.code)).toEqual([a.code]);
  });

  it("a multi-use invite is listed with its places until the last is taken", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 1, maxUses: 2 }, HOUR, NOW);
    await invites.consume(inv.code, 10, NOW);
    expect(await invites.active(NOW)).toEqual([expect.objectContaining({ usedBy: [10], maxUses: 2 })]);
    await invites.consume(inv.code, 11, NOW);
    expect(await invites.active(NOW)).toEqual([]);
    expect(await invites.consume(inv.code, 12, NOW)).toEqual({ ok: false, reason: "full" });
  });

  it("revokes by short id or full code, only when allowed; a revoked link stays refused as revoked for a week", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 1, maxUses: 5 }, HOUR, NOW);
    expect(inviteId(inv)).toBe(inv.code.slice(0, 8));
    expect(await invites.revoke(inviteId(inv), NOW, () => false)).toBeUndefined();
    expect((await invites.consume(inv.code, 10, NOW)).ok).toBe(true);
    expect(await invites.revoke("nosuchid", NOW, () => true)).toBeUndefined();
    const revoked = await invites.revoke(inv.code, NOW, (i) => i.createdBy === 1);
    expect(revoked).toMatchObject({ code: inv.code, revoked: true, usedBy: [10] });
    expect(await invites.active(NOW)).toEqual([]);
    expect(await joinAt(inv.code, 11, 6 * DAY)).toEqual({ ok: false, reason: "revoked" });
    // revoked wins over "you already joined"
    expect(await joinAt(inv.code, 10, 6 * DAY)).toEqual({ ok: false, reason: "revoked" });
    expect(await joinAt(inv.code, 11, 8 * DAY)).toEqual({ ok: false, reason: "unknown" });
  });

  it("an expired invite cannot be revoked (it is no longer listed)", async () => {
    const inv = await invites.create({ role: "collector", team: "a", createdBy: 1 }, HOUR, NOW);
    expect(await invites.revoke(inviteId(inv), at(HOUR), () => true)).toBeUndefined();
  });

  it("invites stored before multi-use invites existed read as personal ones", async () => {
    const base = { role: "collector", team: "a", createdBy: 1, createdAt: NOW.toISOString() };
    const expiresAt = at(HOUR).toISOString();
    await kv.set("invite:oldfresh", { ...base, code: "oldfresh", expiresAt });
    await kv.set("invite:oldused", { ...base, code: "oldused", expiresAt, usedBy: 10 });
    expect(await invites.consume("oldfresh", 11, NOW)).toMatchObject({
      ok: true,
      invite: { maxUses: 1, usedBy: [11] },
    });
    expect(await invites.consume("oldused", 12, NOW)).toEqual({ ok: false, reason: "used" });
    expect((await invites.consume("oldused", 10, NOW)).ok).toBe(true);
  });
});
