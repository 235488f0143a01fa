import type { CardInput } from "ts-fsrs";
import type { Kv } from "./kv.ts";

export interface Tally {
  answered: number;
  correct: number;
}

export interface QuizStats extends Tally {
  /** consecutive local days with at least one answer */
  streak: number;
  bestStreak: number;
  lastAnswerDate?: string;
  lastAnsweredAt?: string;
  /** per scenario code / compliance category */
  topics: Record<string, Tally>;
  /** per ISO week ("2026-W07"), the last few weeks only */
  weeks: Record<string, Tally>;
}

export interface QuizState {
  /** FSRS card per question id (dates as ISO strings) */
  cards: Record<string, CardInput>;
  stats: QuizStats;
}

/** A sent quiz poll: poll_answer carries no chat id, so the poll id leads back to user and question. */
export interface PollRecord {
  pollId: string;
  userId: number;
  chatId: number;
  questionId: string;
  sentAt: string;
}

export const emptyQuizState = (): QuizState => ({
  cards: {},
  stats: { answered: 0, correct: 0, streak: 0, bestStreak: 0, topics: {}, weeks: {} },
});

const POLL_TTL_MS = 14 * 24 * 3600_000;

export class QuizRepo {
  constructor(private readonly kv: Kv) {}

  async get(userId: number): Promise<QuizState> {
    return (await this.kv.get<QuizState>(`quiz:${userId}`)) ?? emptyQuizState();
  }

  async getMany(userIds: number[]): Promise<QuizState[]> {
    const states = await this.kv.getMany<QuizState>(userIds.map((id) => `quiz:${id}`));
    return states.map((s) => s ?? emptyQuizState());
  }

  /** Atomic read-modify-write of one user's state; fn may run more than once (keep it pure). */
  async update(userId: number, fn: (s: QuizState) => QuizState): Promise<QuizState> {
    const next = await this.kv.update<QuizState>(`quiz:${userId}`, (s) => fn(s ?? emptyQuizState()));
    return next!;
  }

  async putPoll(rec: PollRecord): Promise<void> {
    await this.kv.set(`poll:${rec.pollId}`, rec, POLL_TTL_MS);
  }

  /** The poll record, removed in the same step (GETDEL on Redis) so that only the first answer counts. */
  takePoll(pollId: string): Promise<PollRecord | undefined> {
    return this.kv.take<PollRecord>(`poll:${pollId}`);
  }
}
