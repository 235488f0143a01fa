import type { Context } from "grammy";
import type { TipDelivery } from "../broadcast/tip-delivery.ts";
import type { Config } from "../config.ts";
import type { Coach } from "../core/coach.ts";
import type { LlmCoach } from "../llm/llm-coach.ts";
import type { Metrics } from "../ops/metrics.ts";
import type { PracticeCoach } from "../practice/practice.ts";
import type { QuizQuestion } from "../quiz/schema.ts";
import type { Clock } from "../scheduler/time.ts";
import type { Storage } from "../storage/index.ts";
import type { LocaleCode, User } from "../storage/users.ts";
import type { Script } from "../text/script.ts";
import type { Guardian } from "./guardian.ts";
import type { Messages } from "./locales/index.ts";
import type { Logger } from "./logger.ts";

export type BotSettings = Pick<
  Config,
  | "ADMIN_IDS"
  | "TIMEZONE"
  | "DAILY_DEFAULT_TIME"
  | "INVITE_TTL_HOURS"
  | "FLOOD_LIMIT_PER_MINUTE"
  | "MAX_INPUT_CHARS"
  | "BROADCAST_RATE"
>;

/** What the bot is built from (the composition root's inputs). */
export interface BotDeps {
  config: BotSettings;
  coach: Coach;
  /** LLM mode (grounded answers, second compliance opinion); undefined when it is off */
  llm?: LlmCoach | undefined;
  storage: Storage;
  /** the quiz bank (questions whose texts pass the compliance guard) */
  quiz: readonly QuizQuestion[];
  logger: Logger;
  clock: Clock;
  /** Prometheus counters (optional: tests and the console run without) */
  metrics?: Metrics;
  /** role-play practice (absent when the knowledge folder has no valid scenarios) */
  practice?: PracticeCoach;
}

/** Services createBot builds and hands to every handler. */
export interface BotServices extends BotDeps {
  guardian: Guardian;
  broadcaster: TipDelivery;
  /** send one quiz poll to a user (used by /quiz and the daily push) */
  sendQuiz(user: User, chatId: number, intro?: boolean): Promise<boolean>;
  /** download a file from the Bot API (a path from getFile) */
  download(filePath: string): Promise<Buffer>;
}

/** The context flavor: dependencies and the registered user, set by the first middleware. */
export interface CoachFlavor {
  deps: BotServices;
  /** the registered user (undefined for strangers) */
  user: User | undefined;
  locale: LocaleCode;
  script: Script;
  t: Messages;
}

export type BotContext = Context & CoachFlavor;
