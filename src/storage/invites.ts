import { randomBytes } from "node:crypto";
import type { Kv } from "./kv.ts";
import type { Role } from "./users.ts";

export interface Invite {
  code: string;
  role: Exclude<Role, "admin">;
  team: string | null;
  createdBy: number;
  createdAt: string;
  expiresAt: string;
  /** how many people may join with it (1: a personal invite) */
  maxUses: number;
  /** who joined with it, in order */
  usedBy: number[];
  revoked?: boolean;
}

export type ConsumeResult =
  | { ok: true; invite: Invite }
  | { ok: false; reason: "unknown" | "expired" | "used" | "full" | "revoked" };

const INDEX = "invites:index";
const key = (code: string) => `invite:${code}`;
/** used/expired codes are kept a while longer so a late /start gets "expired" or "used", not "unknown" */
const KEEP_AFTER_MS = 7 * 24 * 3600_000;
/** the short public id of an invite (/invites, /revoke): the start of its code */
export const inviteId = (inv: Pick<Invite, "code">) => inv.code.slice(0, 8);

/** Invites stored before multi-use invites existed had `usedBy?: number`. */
function normalise(raw: Invite & { usedBy?: number[] | number }): Invite {
  const usedBy = Array.isArray(raw.usedBy) ? raw.usedBy : raw.usedBy === undefined ? [] : [raw.usedBy];
  return { ...raw, maxUses: raw.maxUses ?? 1, usedBy };
}

/** Expiring invite codes (deep-link safe: A-Z a-z 0-9 _ -), personal or for up to maxUses people. */
export class InviteRepo {
  constructor(private readonly kv: Kv) {}

  async create(
    input: Pick<Invite, "role" | "team" | "createdBy"> & { maxUses?: number },
    ttlMs: number,
    now: Date,
  ): Promise<Invite> {
    const invite: Invite = {
      ...input,
      maxUses: input.maxUses ?? 1,
      usedBy: [],
      code: randomBytes(12).toString("base64url"),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    await this.kv.set(key(invite.code), invite, ttlMs + KEEP_AFTER_MS);
    await this.kv.update<string[]>(INDEX, (codes) => [...(codes ?? []), invite.code]);
    return invite;
  }

  /** Join with a code: refused once it is expired, revoked or has no places left. */
  async consume(code: string, userId: number, now: Date): Promise<ConsumeResult> {
    if (!/^[\w-]{1,64}$/.test(code)) return { ok: false, reason: "unknown" };
    return this.kv.locked(key(code), async () => {
      const raw = await this.kv.get<Invite>(key(code));
      if (!raw) return { ok: false, reason: "unknown" } as const;
      const inv = normalise(raw);
      if (inv.revoked) return { ok: false, reason: "revoked" } as const;
      if (inv.usedBy.includes(userId)) return { ok: true, invite: inv } as const;
      if (inv.usedBy.length >= inv.maxUses)
        return { ok: false, reason: inv.maxUses > 1 ? "full" : "used" } as const;
      if (Date.parse(inv.expiresAt) <= now.getTime()) return { ok: false, reason: "expired" } as const;
      const used = { ...inv, usedBy: [...inv.usedBy, userId] };
      await this.kv.set(key(code), used, Date.parse(inv.expiresAt) - now.getTime() + KEEP_AFTER_MS);
      return { ok: true, invite: used } as const;
    });
  }

  /** Invites that can still be used (not expired, revoked or full), oldest first; createdBy limits to one author. */
  async active(now: Date, createdBy?: number): Promise<Invite[]> {
    const codes = (await this.kv.get<string[]>(INDEX)) ?? [];
    const found = await this.kv.getMany<Invite>(codes.map(key));
    const dead = new Set<string>();
    const live = found.flatMap((raw, i) => {
      const inv = raw && normalise(raw);
      const usable =
        inv && !inv.revoked && inv.usedBy.length < inv.maxUses && Date.parse(inv.expiresAt) > now.getTime();
      if (!usable) dead.add(codes[i]!);
      return usable ? [inv] : [];
    });
    if (dead.size) await this.kv.update<string[]>(INDEX, (cur) => (cur ?? []).filter((c) => !dead.has(c)));
    return createdBy === undefined ? live : live.filter((i) => i.createdBy === createdBy);
  }

  /** Revoke the usable invite whose id (inviteId) or code is given; allowed(invite) decides who may. */
  async revoke(idOrCode: string, now: Date, allowed: (inv: Invite) => boolean): Promise<Invite | undefined> {
    const inv = (await this.active(now)).find((i) => i.code === idOrCode || inviteId(i) === idOrCode);
    if (!inv || !allowed(inv)) return undefined;
    return this.kv.locked(key(inv.code), async () => {
      const cur = await this.kv.get<Invite>(key(inv.code));
      if (!cur) return undefined;
      const revoked = { ...normalise(cur), revoked: true };
      await this.kv.set(key(inv.code), revoked, KEEP_AFTER_MS);
      return revoked;
    });
  }
}
