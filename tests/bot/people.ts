import { newUser, type User } from "../../src/storage/users.ts";

// No vitest here: benchmarks import this outside the test runner.

/** A registered collector of `team`, as storage holds one (for filling teams in tests and benchmarks). */
export const collector = (id: number, team: string): User =>
  newUser({
    id,
    role: "collector",
    team,
    name: `m${id}`,
    locale: "zh-CN",
    now: new Date(),
    dailyTime: "09:00",
  });
