import { newUser, type User } from "../../src/storage/users.ts";

/** The daily push tests' team: its zone, and the moment its 09:00 pushes come due. */
export const ZONE = "Asia/Shanghai";
/** 2026-03-02 09:00 in Shanghai */
export const NINE = new Date("2026-03-02T01:00:00Z");

/** a collector subscribed to the daily push at `time` */
export const subscriber = (id: number, time = "09:00", extra: Partial<User> = {}): User => {
  const u = newUser({
    id,
    role: "collector",
    team: "a",
    name: `u${id}`,
    locale: "zh-CN",
    now: NINE,
    dailyTime: time,
  });
  return { ...u, daily: { ...u.daily, enabled: true }, ...extra };
};
