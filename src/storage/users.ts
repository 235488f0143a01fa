import type { Kv } from "./kv.ts";

export const ROLES = ["admin", "supervisor", "collector"] as const;
export type Role = (typeof ROLES)[number];
export type LocaleCode = "zh-CN" | "zh-TW";

export interface DailySettings {
  enabled: boolean;
  /** HH:MM in the configured time zone */
  time: string;
  /** local date (YYYY-MM-DD) of the last push claimed, so a push is never sent twice */
  lastPushDate?: string;
}

export interface User {
  id: number;
  role: Role;
  team: string | null;
  name: string;
  /** false once the user blocked the bot (403) */
  active: boolean;
  locale: LocaleCode;
  joinedAt: string;
  lastSeenAt: string;
  daily: DailySettings;
  /** opted in to the weekly team leaderboard */
  leaderboard: boolean;
}

/** A newly registered user: active, seen now, no daily push, not on the leaderboard. */
export function newUser(p: {
  id: number;
  role: Role;
  team: string | null;
  name: string;
  locale: LocaleCode;
  now: Date;
  dailyTime: string;
}): User {
  return {
    id: p.id,
    role: p.role,
    team: p.team,
    name: p.name,
    active: true,
    locale: p.locale,
    joinedAt: p.now.toISOString(),
    lastSeenAt: p.now.toISOString(),
    daily: { enabled: false, time: p.dailyTime },
    leaderboard: false,
  };
}

const INDEX = "users:index";
const key = (id: number) => `user:${id}`;

/** Users, cached in memory (write-through), with an id index for team listings. */
export class UserRepo {
  private readonly cache = new Map<number, User | null>();
  private index: Set<number> | null = null;

  constructor(private readonly kv: Kv) {}

  async get(id: number): Promise<User | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const u = await this.kv.get<User>(key(id));
    this.cache.set(id, u ?? null);
    return u;
  }

  private async ids(): Promise<Set<number>> {
    if (!this.index) this.index = new Set((await this.kv.get<number[]>(INDEX)) ?? []);
    return this.index;
  }

  async put(user: User): Promise<void> {
    await this.kv.set(key(user.id), user);
    this.cache.set(user.id, user);
    await this.kv.locked(INDEX, async () => {
      const ids = await this.ids();
      if (!ids.has(user.id)) {
        ids.add(user.id);
        await this.kv.set(INDEX, [...ids]);
      }
    });
  }

  /** Change a user under the key's lock; returns the new user (undefined when unknown). */
  async patch(id: number, fn: (u: User) => User): Promise<User | undefined> {
    const next = await this.kv.locked(key(id), async () => {
      const u = await this.get(id);
      if (!u) return undefined;
      const n = fn(u);
      await this.kv.set(key(id), n);
      this.cache.set(id, n);
      return n;
    });
    return next;
  }

  async remove(id: number): Promise<boolean> {
    const existed = await this.kv.delete(key(id));
    this.cache.set(id, null);
    await this.kv.locked(INDEX, async () => {
      const ids = await this.ids();
      if (ids.delete(id)) await this.kv.set(INDEX, [...ids]);
    });
    return existed;
  }

  async list(): Promise<User[]> {
    const ids = [...(await this.ids())];
    const out: User[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const c = this.cache.get(id);
      if (c) out.push(c);
      else if (c === undefined) missing.push(id);
    }
    const loaded = await this.kv.getMany<User>(missing.map(key));
    loaded.forEach((u, i) => {
      this.cache.set(missing[i]!, u ?? null);
      if (u) out.push(u);
    });
    return out.sort((a, b) => a.id - b.id);
  }

  async listTeam(team: string): Promise<User[]> {
    return (await this.list()).filter((u) => u.team === team);
  }
}
