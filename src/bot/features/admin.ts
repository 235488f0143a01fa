import { Composer } from "grammy";
import { ROLES, type Role } from "../../storage/users.ts";
import type { BotContext } from "../context.ts";
import { isAdmin, isSupervisor } from "../filters/roles.ts";
import { replyLong } from "../pager.ts";

/** /users (admins: everyone; supervisors: their team; every user, paged, with a CSV export), /move, /role, /remove (admins). */
export const admin = new Composer<BotContext>();

admin.command("users").filter(isSupervisor, async (ctx) => {
  const me = ctx.user!;
  const all = await ctx.deps.storage.users.list();
  const rows = me.role === "admin" ? all : all.filter((u) => me.team && u.team === me.team);
  if (!rows.length) return void (await ctx.reply(ctx.t.usersNone));
  const inactive = rows.filter((u) => !u.active).length;
  await replyLong(ctx, {
    header: [ctx.t.usersHeader(rows.length, inactive)],
    lines: rows.map((u) => ctx.t.userRow(u)),
    csv: {
      fileName: "users.csv",
      caption: ctx.t.usersCsvCaption(rows.length),
      rows: [
        ctx.t.usersCsvHeader,
        ...rows.map((u) => [u.id, u.name, ctx.t.role(u.role), u.team ?? "", ctx.t.activeLabel(u.active)]),
      ],
    },
  });
});

const adminOnly = admin.filter(isAdmin);

adminOnly.command("move", async (ctx) => {
  const [id, ...team] = ctx.match.trim().split(/\s+/);
  if (!id || !/^\d+$/.test(id) || !team.length) return void (await ctx.reply(ctx.t.moveUsage));
  const u = await ctx.deps.storage.users.patch(Number(id), (x) => ({ ...x, team: team.join(" ") }));
  await ctx.reply(u ? ctx.t.userUpdated(u.id) : ctx.t.userNotFound);
});

adminOnly.command("role", async (ctx) => {
  const [id, role] = ctx.match.trim().split(/\s+/);
  if (!id || !/^\d+$/.test(id) || !ROLES.includes(role as Role))
    return void (await ctx.reply(ctx.t.roleUsage));
  const u = await ctx.deps.storage.users.patch(Number(id), (x) => ({ ...x, role: role as Role }));
  await ctx.reply(u ? ctx.t.userUpdated(u.id) : ctx.t.userNotFound);
});

adminOnly.command("remove", async (ctx) => {
  const id = ctx.match.trim();
  if (!/^\d+$/.test(id)) return void (await ctx.reply(ctx.t.removeUsage));
  const ok = await ctx.deps.storage.users.remove(Number(id));
  await ctx.reply(ok ? ctx.t.userRemoved(Number(id)) : ctx.t.userNotFound);
});
