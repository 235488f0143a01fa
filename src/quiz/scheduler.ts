import { type Card, type CardInput, createEmptyCard, fsrs, Rating } from "ts-fsrs";
import { daysBetween, localTime } from "../scheduler/time.ts";
import type { QuizState, Tally } from "../storage/quiz-state.ts";
import type { QuizQuestion } from "./schema.ts";

const scheduler = fsrs({ enable_fuzz: false });
const KEEP_WEEKS = 8;

const toJson = (card: Card): CardInput => ({
  ...card,
  due: card.due.toISOString(),
  last_review: card.last_review ? card.last_review.toISOString() : null,
});

/** Topics a question trains: its scenario codes and compliance categories. */
export const topicsOf = (q: QuizQuestion): string[] => [...q.codes, ...q.categories];

const accuracy = (t: Tally | undefined) => (t?.answered ? t.correct / t.answered : 1);

/**
 * The next question for a user: the most overdue review first (answered-wrong cards are due
 * sooner); else an unseen question, preferring the user's weakest topics; else the card due soonest.
 * `exclude` skips questions already out (an unanswered poll).
 */
export function pickQuestion(
  state: QuizState,
  bank: readonly QuizQuestion[],
  now: Date,
  exclude: ReadonlySet<string> = new Set(),
): QuizQuestion | undefined {
  const pool = bank.filter((q) => !exclude.has(q.id));
  if (!pool.length) return undefined;
  const dueAt = (q: QuizQuestion) => Date.parse(String(state.cards[q.id]!.due));
  const seen = pool.filter((q) => state.cards[q.id]);
  const due = seen.filter((q) => dueAt(q) <= now.getTime()).sort((a, b) => dueAt(a) - dueAt(b));
  if (due.length) return due[0];
  const unseen = pool.filter((q) => !state.cards[q.id]);
  if (unseen.length) {
    const weakness = (q: QuizQuestion) =>
      Math.min(...topicsOf(q).map((t) => accuracy(state.stats.topics[t])));
    // stable: weakest topic first, then bank order
    return unseen.map((q, i) => ({ q, i, w: weakness(q) })).sort((a, b) => a.w - b.w || a.i - b.i)[0]!.q;
  }
  return seen.sort((a, b) => dueAt(a) - dueAt(b))[0];
}

const bump = (t: Tally | undefined, correct: boolean): Tally => ({
  answered: (t?.answered ?? 0) + 1,
  correct: (t?.correct ?? 0) + (correct ? 1 : 0),
});

/** Score one answer: FSRS review (Good when right, Again when wrong), totals, topics, week and streak. */
export function applyAnswer(
  state: QuizState,
  q: QuizQuestion,
  correct: boolean,
  now: Date,
  tz: string,
): QuizState {
  const card: CardInput | Card = state.cards[q.id] ?? createEmptyCard(now);
  const next = scheduler.next(card, now, correct ? Rating.Good : Rating.Again).card;
  const local = localTime(now, tz);
  const s = state.stats;
  let streak = s.streak;
  if (!s.lastAnswerDate) streak = 1;
  else {
    const gap = daysBetween(s.lastAnswerDate, local.date);
    if (gap === 1) streak += 1;
    else if (gap > 1) streak = 1;
    else if (streak === 0) streak = 1;
  }
  const topics = { ...s.topics };
  for (const t of topicsOf(q)) topics[t] = bump(topics[t], correct);
  const weeks = { ...s.weeks, [local.week]: bump(s.weeks[local.week], correct) };
  for (const w of Object.keys(weeks).sort().slice(0, -KEEP_WEEKS)) delete weeks[w];
  const totals = bump(s, correct);
  return {
    cards: { ...state.cards, [q.id]: toJson(next) },
    stats: {
      ...totals,
      streak,
      bestStreak: Math.max(s.bestStreak, streak),
      lastAnswerDate: local.date,
      lastAnsweredAt: now.toISOString(),
      topics,
      weeks,
    },
  };
}

/** The streak as it stands today: it is broken once a whole local day passed without an answer. */
export function currentStreak(state: QuizState, now: Date, tz: string): number {
  const last = state.stats.lastAnswerDate;
  if (!last) return 0;
  return daysBetween(last, localTime(now, tz).date) <= 1 ? state.stats.streak : 0;
}

/** Weakest topics with at least `min` answers, lowest accuracy first. */
export function weakestTopics(state: QuizState, limit = 3, min = 2): Array<{ topic: string; tally: Tally }> {
  return Object.entries(state.stats.topics)
    .filter(([, t]) => t.answered >= min && t.correct < t.answered)
    .sort(([, a], [, b]) => accuracy(a) - accuracy(b) || b.answered - a.answered)
    .slice(0, limit)
    .map(([topic, tally]) => ({ topic, tally }));
}
