import { Composer } from "grammy";
import { currentStreak, weakestTopics } from "../../quiz/scheduler.ts";
import { localTime } from "../../scheduler/time.ts";
import type { Tally } from "../../storage/quiz-state.ts";
import type { BotContext } from "../context.ts";
import { isRegistered, isSupervisor } from "../filters/roles.ts";
import { html } from "../middleware.ts";
import { replyLong } from "../pager.ts";
import { practiceStatsText, practiceTeamText } from "./practice.ts";

/** /stats (own), /leaderboard (opt-in, own team, this week), /team (supervisors: their team only). */
export const stats = new Composer<BotContext>();
const reg = stats.filter(isRegistered);
const INACTIVE_DAYS = 7;

reg.command("stats", async (ctx) => {
  const { storage, clock, config } = ctx.deps;
  const s = await storage.quiz.get(ctx.user!.id);
  await ctx.reply(
    ctx.t.stats({
      answered: s.stats.answered,
      correct: s.stats.correct,
      streak: currentStreak(s, clock.now(), config.TIMEZONE),
      best: s.stats.bestStreak,
      weak: weakestTopics(s).map((w) => ctx.t.topic(w.topic)),
    }) + (await practiceStatsText(ctx)),
    html,
  );
});

reg.command("leaderboard", async (ctx) => {
  const { storage, clock, config } = ctx.deps;
  const me = ctx.user!;
  const arg = ctx.match.trim().toLowerCase();
  if (arg === "on" || arg === "off") {
    await storage.users.patch(me.id, (u) => ({ ...u, leaderboard: arg === "on" }));
    return void (await ctx.reply(arg === "on" ? ctx.t.leaderboardOn : ctx.t.leaderboardOff));
  }
  if (!me.team) return void (await ctx.reply(ctx.t.leaderboardNoTeam));
  const members = (await storage.users.listTeam(me.team)).filter((u) => u.leaderboard);
  const week = localTime(clock.now(), config.TIMEZONE).week;
  const states = await storage.quiz.getMany(members.map((u) => u.id));
  const rows = members
    .map((u, i) => ({ name: u.name, ...(states[i]!.stats.weeks[week] ?? { answered: 0, correct: 0 }) }))
    .filter((r) => r.answered > 0)
    .sort((a, b) => b.correct - a.correct || a.answered - b.answered)
    .slice(0, 10);
  await ctx.reply(ctx.t.leaderboard(me.team, rows), html);
});

reg.command("team").filter(isSupervisor, async (ctx) => {
  const { storage, clock } = ctx.deps;
  const me = ctx.user!;
  const asked = ctx.match.trim();
  const team = me.role === "admin" ? asked || me.team : me.team;
  if (!team) return void (await ctx.reply(ctx.t.teamUsage));
  const members = await storage.users.listTeam(team);
  if (!members.length) return void (await ctx.reply(ctx.t.teamNone));
  const states = await storage.quiz.getMany(members.map((u) => u.id));
  const now = clock.now().getTime();
  const topics = new Map<string, Tally>();
  const rows = members.map((u, i) => {
    const s = states[i]!.stats;
    for (const [topic, t] of Object.entries(s.topics)) {
      const prev = topics.get(topic) ?? { answered: 0, correct: 0 };
      topics.set(topic, { answered: prev.answered + t.answered, correct: prev.correct + t.correct });
    }
    const last = Math.max(Date.parse(u.lastSeenAt) || 0, Date.parse(s.lastAnsweredAt ?? "") || 0);
    return {
      name: u.name,
      id: u.id,
      answered: s.answered,
      correct: s.correct,
      inactive: !u.active || now - last > INACTIVE_DAYS * 86400_000,
    };
  });
  const topicRows = [...topics.entries()]
    .map(([topic, t]) => ({ topic: ctx.t.topic(topic), ...t }))
    .sort((a, b) => a.correct / a.answered - b.correct / b.answered)
    .slice(0, 10);
  const practiceLines = (await practiceTeamText(ctx, members)).split("\n").filter((l) => l.trim());
  await replyLong(ctx, {
    header: [ctx.t.teamHeader(team, rows.length)],
    lines: rows.map((r) => ctx.t.teamMember(r)),
    footer: [...ctx.t.teamTopics(topicRows), ...practiceLines],
    csv: {
      fileName: "team.csv",
      caption: ctx.t.teamCsvCaption(team, rows.length),
      rows: [
        ctx.t.teamCsvHeader,
        ...rows.map((r) => [
          r.id,
          r.name,
          r.answered,
          r.correct,
          r.answered ? Math.round((r.correct / r.answered) * 100) / 100 : "",
          r.inactive ? "1" : "",
        ]),
      ],
    },
  });
});
