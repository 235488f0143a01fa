import { Composer } from "grammy";
import { localTime } from "../../scheduler/time.ts";
import type { BotContext } from "../context.ts";
import { isRegistered } from "../filters/roles.ts";

/** /daily on|off|HH:MM: one quiz a day at the user's time (the scheduler sends it). */
export const daily = new Composer<BotContext>();

daily
  .chatType("private")
  .filter(isRegistered)
  .command("daily", async (ctx) => {
    const arg = ctx.match.trim().toLowerCase();
    const { storage, config, clock } = ctx.deps;
    const me = ctx.user!;
    if (!arg)
      return void (await ctx.reply(ctx.t.dailyStatus(me.daily.enabled, me.daily.time, config.TIMEZONE)));
    if (arg === "off") {
      await storage.users.patch(me.id, (u) => ({ ...u, daily: { ...u.daily, enabled: false } }));
      return void (await ctx.reply(ctx.t.dailyOff));
    }
    const m = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/.exec(arg);
    if (arg !== "on" && !m) return void (await ctx.reply(ctx.t.dailyUsage));
    const time = m ? `${m[1]!.padStart(2, "0")}:${m[2]}` : me.daily.time || config.DAILY_DEFAULT_TIME;
    const local = localTime(clock.now(), config.TIMEZONE);
    // at or after today's time (or today's push already went out): the first push is tomorrow
    const tomorrow = local.time >= time || me.daily.lastPushDate === local.date;
    await storage.users.patch(me.id, (u) => ({
      ...u,
      daily: { enabled: true, time, lastPushDate: tomorrow ? local.date : u.daily.lastPushDate },
    }));
    await ctx.reply(ctx.t.dailyOn(time, tomorrow));
  });
