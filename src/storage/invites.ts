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
  usedBy?: number;
}

export type ConsumeResult =
  | { ok: true; invite: Invite }
  | { ok: false; reason: "unknown" | "expired" | "used" };

const key = (code: string) => `invite:${code}`;

/** Single-use, expiring invite codes (deep-link safe: A-Z a-z 0-9 _ -). */
export class InviteRepo {
  constructor(private readonly kv: Kv) {}

  async create(
    input: Omit<Invite, "code" | "createdAt" | "expiresAt">,
    ttlMs: number,
    now: Date,
  ): Promise<Invite> {
    const invite: Invite = {
      ...input,
      code: randomBytes(12).toString("base64url"),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    // keep used/expired codes a while longer so a late /start gets "expired" or "used", not "unknown"
    await this.kv.set(key(invite.code), invite, ttlMs + 7 * 24 * 3600_000);
    return invite;
  }

  /** Use a code once: the first caller gets it, everyone after is told it was used. */
  async consume(code: string, userId: number, now: Date): Promise<ConsumeResult> {
    if (!/^[\w-]{1,64}$/.test(code)) return { ok: false, reason: "unknown" };
    return this.kv.locked(key(code), async () => {
      const inv = await this.kv.get<Invite>(key(code));
      if (!inv) return { ok: false, reason: "unknown" } as const;
      if (inv.usedBy !== undefined) return { ok: false, reason: "used" } as const;
      if (Date.parse(inv.expiresAt) <= now.getTime()) return { ok: false, reason: "expired" } as const;
      const used = { ...inv, usedBy: userId };
      await this.kv.set(key(code), used, 7 * 24 * 3600_000);
      return { ok: true, invite: used } as const;
    });
  }
}
