import type { Role, User } from "../../storage/users.ts";
import type { BotContext } from "../context.ts";

export const isRegistered = (ctx: BotContext): boolean => ctx.user !== undefined;
export const hasRole =
  (...roles: Role[]) =>
  (ctx: BotContext): boolean =>
    ctx.user !== undefined && roles.includes(ctx.user.role);
export const isAdmin = hasRole("admin");
export const isSupervisor = hasRole("supervisor", "admin");

/** Teams a user may see: admins every team (null = all), supervisors their own. */
export function visibleTeams(user: User): "all" | string[] {
  if (user.role === "admin") return "all";
  return user.team ? [user.team] : [];
}
