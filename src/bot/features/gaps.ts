import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { isSupervisor, visibleTeams } from "../filters/roles.ts";
import { replyLong } from "../pager.ts";

const MAX_GAPS = 200;

/** /gaps: the most frequent unanswered questions and disliked answers (own team; admins all). */
export const gaps = new Composer<BotContext>();

gaps.command("gaps").filter(isSupervisor, async (ctx) => {
  const { storage, guardian, coach } = ctx.deps;
  const me = ctx.user!;
  const vis = visibleTeams(me);
  const teams: Array<string | null> =
    vis === "all" ? [...new Set([...(await storage.users.list()).map((u) => u.team), null])] : vis;
  const items = await storage.gaps.top(teams, MAX_GAPS);
  if (!items.length) return void (await ctx.reply(ctx.t.gapsEmpty));
  await replyLong(ctx, {
    header: [ctx.t.gapsHeader],
    lines: items.map((g, i) =>
      ctx.t.gap(i + 1, {
        kind: g.kind,
        text: guardian.clean(g.text) || "…",
        count: g.count,
        entry: g.entryId ? (coach.entries.get(g.entryId)?.title ?? null) : null,
        reasons: Object.keys(g.reasons).map((r) => ctx.t.reasons[r as keyof typeof ctx.t.reasons]),
        notes: (g.notes ?? []).map((n) => guardian.clean(n)).filter(Boolean),
      }),
    ),
  });
});
