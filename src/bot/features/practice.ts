import { Composer } from "grammy";
import { EXCUSE_CODES } from "../../knowledge/codes.ts";
import type { RoundState } from "../../practice/round.ts";
import type { Difficulty, LoadedScenario } from "../../practice/schema.ts";
import type { Scorecard } from "../../practice/scorecard.ts";
import { average, PracticeStore, ROUND_TIMEOUT_MS, weakestPracticeCodes } from "../../practice/store.ts";
import { weakestTopics } from "../../quiz/scheduler.ts";
import { inScript, toSimplified } from "../../text/script.ts";
import type { BotContext } from "../context.ts";
import { isRegistered, isSupervisor } from "../filters/roles.ts";
import { html } from "../middleware.ts";

/**
 * Role-play practice (陪练): /practice starts a round, plain text in a private chat answers the
 * debtor while a round is on, /stop abandons it, /assign (supervisors) sends a scenario to the team.
 * The round lives in the store, so it survives a restart; the core is src/practice.
 */
export const practice = new Composer<BotContext>();

const DIFFICULTY_WORDS: Record<string, Difficulty> = {
  easy: "easy",
  normal: "normal",
  hard: "hard",
  简单: "easy",
  普通: "normal",
  困难: "hard",
};

const store = (ctx: BotContext) => new PracticeStore(ctx.deps.storage.kv);
const say = (ctx: BotContext, text: string) => inScript(text, ctx.script);

/** "/practice no-income hard" → target and difficulty; a topic name (没钱/没收入) works as a code. */
function parseArgs(ctx: BotContext, raw: string): { target?: string; difficulty?: Difficulty } {
  let target: string | undefined;
  let difficulty: Difficulty | undefined;
  for (const word of raw.trim().split(/\s+/).filter(Boolean)) {
    const d = DIFFICULTY_WORDS[toSimplified(word).toLowerCase()];
    if (d) difficulty = d;
    else target = word.toLowerCase();
  }
  if (target && !/^[a-z0-9-]+$/.test(target)) {
    const named = EXCUSE_CODES.find((c) => toSimplified(ctx.t.topic(c)).includes(toSimplified(target!)));
    if (named) target = named;
  }
  return { ...(target ? { target } : {}), ...(difficulty ? { difficulty } : {}) };
}

async function sendScorecard(ctx: BotContext, card: Scorecard) {
  const { guardian } = ctx.deps;
  const rubricOf = (s: string) => say(ctx, s);
  await ctx.reply(
    ctx.t.scorecard({
      title: say(ctx, card.title),
      difficulty: ctx.t.difficulty(card.difficulty),
      outcome: ctx.t.outcome(card.outcome),
      score: card.score,
      met: card.items.filter((i) => i.met).map((i) => rubricOf(i.label)),
      missed: card.items.filter((i) => !i.met).map((i) => rubricOf(i.label)),
      violations: card.violations.map((v) => ctx.t.topic(v.category)),
      advice: card.advice.map((a) => ({
        item: rubricOf(a.item),
        phrasings: a.phrasings.map((p) => guardian.clean(say(ctx, p))).filter(Boolean),
      })),
    }),
    html,
  );
}

/** Finish a round: the violation (if any), the scorecard, the stored result. */
async function finishRound(ctx: BotContext, card: Scorecard) {
  const { guardian } = ctx.deps;
  const userId = ctx.user!.id;
  await store(ctx).dropRound(userId);
  await store(ctx).record(userId, card);
  const blocking = card.violations.find((v) => v.severity === "block");
  if (blocking) {
    const clean = (s: string | null) => (s ? guardian.clean(say(ctx, s)) || null : null);
    await ctx.reply(
      ctx.t.practiceViolation({
        category: ctx.t.topic(blocking.category),
        why: clean(blocking.explanation) ?? "",
        basis: clean(blocking.basis) ?? "",
        suggestion: clean(blocking.suggestion),
      }),
      html,
    );
  }
  await sendScorecard(ctx, card);
}

/** The user's round, or undefined; a round left alone too long is ended (not scored) and reported. */
async function currentRound(
  ctx: BotContext,
): Promise<{ state: RoundState; scenario: LoadedScenario } | undefined> {
  const { practice: core, clock } = ctx.deps;
  const state = await store(ctx).getRound(ctx.user!.id);
  if (!state || !core) return undefined;
  const scenario = core.scenario(state.scenarioId);
  if (!scenario) {
    await store(ctx).dropRound(ctx.user!.id);
    return undefined;
  }
  if (clock.now().getTime() - Date.parse(state.lastAt) > ROUND_TIMEOUT_MS) {
    await store(ctx).dropRound(ctx.user!.id);
    await store(ctx).record(ctx.user!.id, core.end(state, "timeout"));
    await ctx.reply(ctx.t.practiceTimeout(Math.round(ROUND_TIMEOUT_MS / 60_000)));
    return undefined;
  }
  return { state, scenario };
}

async function weakCodes(ctx: BotContext): Promise<string[]> {
  const me = ctx.user!.id;
  const [results, quiz] = await Promise.all([store(ctx).results(me), ctx.deps.storage.quiz.get(me)]);
  const excuses = new Set<string>(EXCUSE_CODES);
  const fromQuiz = weakestTopics(quiz, 5).map((w) => w.topic);
  return [...new Set([...weakestPracticeCodes(results), ...fromQuiz])].filter((c) => excuses.has(c));
}

const priv = practice.chatType("private").filter(isRegistered);

priv.command("practice", async (ctx) => {
  const core = ctx.deps.practice;
  if (!core) return void (await ctx.reply(ctx.t.practiceOff));
  const busy = await currentRound(ctx);
  if (busy) return void (await ctx.reply(ctx.t.practiceBusy(say(ctx, busy.scenario.title))));
  const { target, difficulty } = parseArgs(ctx, ctx.match);
  const me = ctx.user!;
  const results = await store(ctx).results(me.id);
  const recent = results.recent.slice(-10).map((r) => r.scenarioId);
  let scenario: LoadedScenario | undefined;
  if (target) {
    scenario = core.pick({ target, ...(difficulty ? { difficulty } : {}), recent });
    if (!scenario) return void (await ctx.reply(ctx.t.practiceNotFound(target), html));
  } else {
    const assigned = me.team ? await store(ctx).assigned(me.team) : undefined;
    const done =
      assigned &&
      results.recent.some(
        (r) =>
          r.scenarioId === assigned.scenarioId &&
          r.endedAt >= assigned.at &&
          r.outcome !== "abandoned" &&
          r.outcome !== "timeout",
      );
    if (assigned && !done && !difficulty) scenario = core.scenario(assigned.scenarioId);
    scenario ??= core.pick({
      weakCodes: await weakCodes(ctx),
      ...(difficulty ? { difficulty } : {}),
      recent,
    });
  }
  if (!scenario) return void (await ctx.reply(ctx.t.practiceUsage));
  const { state, line } = core.start(scenario, ctx.deps.clock.now());
  await store(ctx).putRound(me.id, state);
  await ctx.reply(
    ctx.t.practiceStart({
      title: say(ctx, scenario.title),
      persona: say(ctx, scenario.persona),
      difficulty: ctx.t.difficulty(scenario.difficulty),
      topic: ctx.t.topic(scenario.code),
    }),
    html,
  );
  await ctx.reply(ctx.t.practiceLine(say(ctx, line)), html);
});

priv.command("stop", async (ctx) => {
  const round = await currentRound(ctx);
  if (!round || !ctx.deps.practice) return void (await ctx.reply(ctx.t.practiceNoRound));
  await store(ctx).dropRound(ctx.user!.id);
  await store(ctx).record(ctx.user!.id, ctx.deps.practice.end(round.state, "abandoned"));
  await ctx.reply(ctx.t.practiceStopped);
});

// a reply to the debtor: any plain text while a round is on
priv.on("message:text", async (ctx, next) => {
  const text = ctx.msg.text;
  const core = ctx.deps.practice;
  if (!core || text.startsWith("/")) return next();
  const before = await store(ctx).getRound(ctx.user!.id);
  if (!before) return next();
  const round = await currentRound(ctx);
  if (!round) return core.scenario(before.scenarioId) ? undefined : next(); // timed out (reported) or gone
  if (text.length > ctx.deps.config.MAX_INPUT_CHARS)
    return void (await ctx.reply(ctx.t.tooLong(ctx.deps.config.MAX_INPUT_CHARS)));
  const step = await core.reply(round.state, text, ctx.deps.clock.now());
  if (step.line) await ctx.reply(ctx.t.practiceLine(say(ctx, step.line)), html);
  if (step.scorecard) return void (await finishRound(ctx, step.scorecard));
  await store(ctx).putRound(ctx.user!.id, step.state);
});

practice
  .filter(isRegistered)
  .command("assign")
  .filter(isSupervisor, async (ctx) => {
    const core = ctx.deps.practice;
    if (!core) return void (await ctx.reply(ctx.t.practiceOff));
    const { target, difficulty } = parseArgs(ctx, ctx.match);
    if (!target) return void (await ctx.reply(ctx.t.assignUsage));
    const scenario = core.pick({ target, ...(difficulty ? { difficulty } : {}) });
    if (!scenario) return void (await ctx.reply(ctx.t.practiceNotFound(target), html));
    const me = ctx.user!;
    const recipients = (await ctx.deps.storage.users.list())
      .filter(
        (u) => u.active && u.id !== me.id && (me.role === "admin" && !me.team ? true : u.team === me.team),
      )
      .map((u) => u.id);
    if (!recipients.length) return void (await ctx.reply(ctx.t.tipNoRecipients));
    if (me.team)
      await store(ctx).assign(me.team, {
        scenarioId: scenario.id,
        by: me.id,
        at: ctx.deps.clock.now().toISOString(),
      });
    // delivered like a tip: the same durable, paced broadcast job
    const body = ctx.t.assignMessage(
      say(ctx, scenario.title),
      ctx.t.difficulty(scenario.difficulty),
      scenario.id,
    );
    await ctx.deps.broadcaster.enqueue({
      senderId: me.id,
      senderChatId: ctx.chat!.id,
      text: body,
      allowWarn: false,
      recipients,
    });
    await ctx.reply(ctx.t.tipQueued(recipients.length));
  });

/** Practice figures of one user for /stats (average over scored rounds, weakest codes). */
export async function practiceStatsText(ctx: BotContext): Promise<string> {
  if (!ctx.deps.practice) return "";
  const r = await store(ctx).results(ctx.user!.id);
  return ctx.t.statsPractice({
    rounds: r.total.rounds,
    average: average(r.total),
    weak: weakestPracticeCodes(r).map((c) => ctx.t.topic(c)),
  });
}

/** Practice results of a team for /team: per member, and per scenario (lowest average first). */
export async function practiceTeamText(ctx: BotContext, members: Array<{ id: number; name: string }>) {
  const core = ctx.deps.practice;
  if (!core) return "";
  const results = await store(ctx).resultsOf(members.map((m) => m.id));
  const perScenario = new Map<string, { rounds: number; scoreSum: number }>();
  for (const r of results)
    for (const [id, t] of Object.entries(r.byScenario)) {
      const prev = perScenario.get(id) ?? { rounds: 0, scoreSum: 0 };
      perScenario.set(id, { rounds: prev.rounds + t.rounds, scoreSum: prev.scoreSum + t.scoreSum });
    }
  const scenarios = [...perScenario.entries()]
    .map(([id, t]) => ({
      title: say(ctx, core.scenario(id)?.title ?? id),
      rounds: t.rounds,
      average: average(t),
    }))
    .sort((a, b) => (a.average ?? 0) - (b.average ?? 0))
    .slice(0, 10);
  return ctx.t.teamPractice(
    members.map((m, i) => ({
      name: m.name,
      rounds: results[i]!.total.rounds,
      average: average(results[i]!.total),
    })),
    scenarios,
  );
}
