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

/**
 * Users, read through from the store on every call (no per-process copy: another instance may
 * have changed them), with the id index kept as a set (SADD/SREM: concurrent registrations never
 * overwrite each other). Changes are compare-and-set updates of one user.
 */
export class UserRepo {
  constructor(private readonly kv: Kv) {}

  get(id: number): Promise<User | undefined> {
    return this.kv.get<User>(key(id));
  }

  async put(user: User): Promise<void> {
    await this.kv.set(key(user.id), user);
    await this.kv.sadd(INDEX, String(user.id));
  }

  /** Change a user atomically; returns the new user (undefined when unknown). fn may run more than once. */
  patch(id: number, fn: (u: User) => User): Promise<User | undefined> {
    return this.kv.update<User>(key(id), (u) => (u ? fn(u) : undefined));
  }

  async remove(id: number): Promise<boolean> {
    const existed = await this.kv.delete(key(id));
    await this.kv.srem(INDEX, String(id));
    return existed;
  }

  async list(): Promise<User[]> {
    const ids = (await this.kv.smembers(INDEX)).map(Number);
    const out: User[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const users = await this.kv.getMany<User>(ids.slice(i, i + 1000).map(key));
      for (const u of users) if (u) out.push(u);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Claim the daily push of one local date for a user: true for exactly one caller across instances. */
  claimDaily(id: number, date: string): Promise<boolean> {
    return this.kv.claim(`daily-claim:${id}:${date}`, 48 * 3600_000);
  }

  /** Give a claimed day back (the push could not go out and will be tried again). */
  async releaseDaily(id: number, date: string): Promise<void> {
    await this.kv.delete(`daily-claim:${id}:${date}`);
  }

  async listTeam(team: string): Promise<User[]> {
    return (await this.list()).filter((u) => u.team === team);
  }
}
