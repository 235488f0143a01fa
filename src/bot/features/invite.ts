import { Composer } from "grammy";
import { newUser } from "../../storage/users.ts";
import type { BotContext } from "../context.ts";
import { displayName } from "../display-name.ts";
import { isSupervisor } from "../filters/roles.ts";
import { localeFromLanguage } from "../locales/index.ts";
import { html } from "../middleware.ts";

/** /start <code> registers an invited user; /invite creates single-use deep links. */
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
    const msg = { unknown: ctx.t.startUnknownCode, expired: ctx.t.startExpired, used: ctx.t.startUsed }[
      r.reason
    ];
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

invite.command("invite").filter(isSupervisor, async (ctx) => {
  const me = ctx.user!;
  const [role, ...teamParts] = ctx.match.trim().split(/\s+/).filter(Boolean);
  if (role !== "collector" && role !== "supervisor") return void (await ctx.reply(ctx.t.inviteUsage));
  let team = teamParts.join(" ") || null;
  if (me.role === "supervisor") {
    if (role !== "collector" || (team && team !== me.team))
      return void (await ctx.reply(ctx.t.inviteSupervisorOwnTeam));
    team = me.team;
  }
  const { storage, clock, config } = ctx.deps;
  const inv = await storage.invites.create(
    { role, team, createdBy: me.id },
    config.INVITE_TTL_HOURS * 3600_000,
    clock.now(),
  );
  const link = `https://t.me/${ctx.me.username}?start=${inv.code}`;
  await ctx.reply(ctx.t.inviteLink(role, team, link, config.INVITE_TTL_HOURS), html);
});
