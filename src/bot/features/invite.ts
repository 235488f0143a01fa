import { Composer } from "grammy";
import { localTime } from "../../scheduler/time.ts";
import { inviteId } from "../../storage/invites.ts";
import { newUser } from "../../storage/users.ts";
import type { BotContext } from "../context.ts";
import { displayName } from "../display-name.ts";
import { isSupervisor } from "../filters/roles.ts";
import { localeFromLanguage } from "../locales/index.ts";
import { html } from "../middleware.ts";
import { replyLong } from "../pager.ts";

/** /start <code> registers an invited user; /invite creates deep links (personal or for N people); /invites, /revoke. */
export const invite = new Composer<BotContext>();

invite.chatType("private").command("start", async (ctx) => {
  const code = ctx.match.trim();
  const { storage, clock, config } = ctx.deps;
  if (ctx.user) {
    await ctx.reply(
      code
        ? ctx.t.alreadyRegistered(ctx.user.role, ctx.user.team)
        : ctx.t.welcome(ctx.user.name, ctx.user.role, ctx.user.team),
      html,
    );
    return;
  }
  if (!code) return void (await ctx.reply(ctx.t.refuse));
  const now = clock.now();
  const r = await storage.invites.consume(code, ctx.from.id, now);
  if (!r.ok) {
    const msg = {
      unknown: ctx.t.startUnknownCode,
      expired: ctx.t.startExpired,
      used: ctx.t.startUsed,
      full: ctx.t.startFull,
      revoked: ctx.t.startRevoked,
    }[r.reason];
    return void (await ctx.reply(msg));
  }
  const user = newUser({
    id: ctx.from.id,
    role: r.invite.role,
    team: r.invite.team,
    name: displayName(ctx.from),
    locale: ctx.from.language_code ? localeFromLanguage(ctx.from.language_code) : ctx.locale,
    now,
    dailyTime: config.DAILY_DEFAULT_TIME,
  });
  await storage.users.put(user);
  ctx.deps.logger.info("user registered", {
    user: user.id,
    role: user.role,
    team: user.team,
    by: r.invite.createdBy,
  });
  await ctx.reply(ctx.t.welcome(user.name, user.role, user.team), html);
});

const MAX_USES = 1000;
const MAX_TTL_HOURS = 30 * 24;

/** `/invite collector|supervisor [team] [uses] [72h|7d]`: team words, then an optional count and validity. */
export function parseInviteArgs(
  match: string,
): { role: "collector" | "supervisor"; team: string | null; uses: number; hours?: number } | undefined {
  const [role, ...rest] = match.trim().split(/\s+/).filter(Boolean);
  if (role?.toLowerCase() !== "collector" && role?.toLowerCase() !== "supervisor") return undefined;
  let hours: number | undefined;
  const ttl = /^(\d{1,4})([hd])$/i.exec(rest.at(-1) ?? "");
  if (ttl) {
    rest.pop();
    hours = Number(ttl[1]) * (ttl[2]!.toLowerCase() === "d" ? 24 : 1);
  }
  let uses = 1;
  if (rest.length && /^\d+$/.test(rest.at(-1)!)) uses = Number(rest.pop());
  return {
    role: role.toLowerCase() as "collector" | "supervisor",
    team: rest.join(" ") || null,
    uses,
    ...(hours !== undefined ? { hours } : {}),
  };
}

invite.command("invite").filter(isSupervisor, async (ctx) => {
  const me = ctx.user!;
  const args = parseInviteArgs(ctx.match);
  if (!args) return void (await ctx.reply(ctx.t.inviteUsage));
  if (args.uses < 1 || args.uses > MAX_USES) return void (await ctx.reply(ctx.t.inviteBadCount(MAX_USES)));
  const { role } = args;
  let team = args.team;
  if (me.role === "supervisor") {
    if (role !== "collector" || (team && team !== me.team))
      return void (await ctx.reply(ctx.t.inviteSupervisorOwnTeam));
    team = me.team;
  }
  const { storage, clock, config } = ctx.deps;
  const hours = Math.min(args.hours || config.INVITE_TTL_HOURS, MAX_TTL_HOURS);
  const inv = await storage.invites.create(
    { role, team, createdBy: me.id, maxUses: args.uses },
    hours * 3600_000,
    clock.now(),
  );
  const link = `https://t.me/${ctx.me.username}?start=${inv.code}`;
  await ctx.reply(ctx.t.inviteLink(role, team, link, hours, inv.maxUses, inviteId(inv)), html);
});

invite.command("invites").filter(isSupervisor, async (ctx) => {
  const me = ctx.user!;
  const { storage, clock, config } = ctx.deps;
  const list = await storage.invites.active(clock.now(), me.role === "admin" ? undefined : me.id);
  if (!list.length) return void (await ctx.reply(ctx.t.invitesNone));
  await replyLong(ctx, {
    header: [ctx.t.invitesHeader],
    lines: list.map((i) =>
      ctx.t.inviteRow({
        id: inviteId(i),
        role: i.role,
        team: i.team,
        used: i.usedBy.length,
        max: i.maxUses,
        expires: localTime(new Date(i.expiresAt), config.TIMEZONE).date,
      }),
    ),
  });
});

invite.command("revoke").filter(isSupervisor, async (ctx) => {
  const me = ctx.user!;
  const id = ctx.match.trim();
  if (!/^[\w-]{4,64}$/.test(id)) return void (await ctx.reply(ctx.t.revokeUsage));
  const { storage, clock } = ctx.deps;
  const done = await storage.invites.revoke(
    id,
    clock.now(),
    (inv) => me.role === "admin" || inv.createdBy === me.id,
  );
  await ctx.reply(done ? ctx.t.revoked(inviteId(done)) : ctx.t.revokeUnknown);
});
