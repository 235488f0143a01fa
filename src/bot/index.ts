import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type BotError, GrammyError, HttpError, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { Broadcaster } from "../broadcast/broadcaster.ts";
import { DeliveryQueue } from "../broadcast/delivery-queue.ts";
import { QueuedBroadcaster } from "../broadcast/queued-broadcaster.ts";
import type { TipDelivery } from "../broadcast/tip-delivery.ts";
import { DailyPush } from "../scheduler/daily.ts";
import { StorageError } from "../storage/errors.ts";
import type { DeliveryReport, TipJob } from "../storage/jobs.ts";
import { RedisKv } from "../storage/redis-kv.ts";
import { inScript } from "../text/script.ts";
import { CallbackSigner } from "./callback-signing.ts";
import type { BotContext, BotDeps, BotServices } from "./context.ts";
import { admin } from "./features/admin.ts";
import { ask } from "./features/ask.ts";
import { check } from "./features/check.ts";
import { daily } from "./features/daily.ts";
import { feedback } from "./features/feedback.ts";
import { gaps } from "./features/gaps.ts";
import { group } from "./features/group.ts";
import { importTeam } from "./features/import.ts";
import { invite } from "./features/invite.ts";
import { practice } from "./features/practice.ts";
import { quiz, quizSender } from "./features/quiz.ts";
import { stats } from "./features/stats.ts";
import { tip } from "./features/tip.ts";
import { unhandled } from "./features/unhandled.ts";
import { Guardian } from "./guardian.ts";
import { fixedTexts, LOCALES, scriptOf } from "./locales/index.ts";
import type { Logger } from "./logger.ts";
import { attach, floodLimit, html, normaliseMessage, strangerGate } from "./middleware.ts";
import { catchAll, dedupeUpdates, measureUpdates, orderAcrossInstances, orderKey } from "./ops-middleware.ts";
import { pager } from "./pager.ts";
import { fitTelegramLimits } from "./telegram-limits.ts";

export interface CreateBotOptions {
  /** skip getMe (tests, benchmarks) */
  botInfo?: UserFromGetMe;
  /** another Bot API server (self-hosted, or the local test server) */
  apiRoot?: string;
  /** retry 429 and network errors on ordinary sends (default true) */
  autoRetry?: boolean;
  /** innermost API transformer, in place of HTTP (the console front end) */
  transport?: Transformer;
  /** drop an update whose update_id was seen before (webhook redelivery; shared through Redis) */
  dedupe?: boolean;
  /**
   * how long a delivery stays with an instance that stopped renewing it (default 30 s): the
   * embedded tip lease, or the lock of a job on the shared queue
   */
  tipLeaseMs?: number;
}

export interface BotApp {
  bot: Bot<BotContext>;
  services: BotServices;
  broadcaster: TipDelivery;
  daily: DailyPush;
  /** the shared delivery queue (BullMQ) when the store is Redis */
  queue?: DeliveryQueue;
  /** register the Chinese command menu (setMyCommands; language codes cannot tell zh-CN from zh-TW, so one menu) */
  registerCommands(): Promise<void>;
}

/** Update types the bot needs; poll_answer must be listed or quiz answers never arrive. */
export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "poll_answer",
  "my_chat_member",
] as const;

function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof StorageError)
    return { kind: "storage", op: err.op, key: err.key, fault: err.fault, where: err.location, err };
  if (err instanceof GrammyError)
    return { kind: "telegram", code: err.error_code, description: err.description, method: err.method };
  if (err instanceof HttpError) return { kind: "network", message: err.message };
  return { kind: "internal", err };
}

function onError(logger: Logger) {
  return async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    ctx.deps?.metrics?.inc("coach_update_errors_total", { kind: String(describeError(err.error).kind) });
    logger.error("update failed", {
      update: ctx.update.update_id,
      user: ctx.from?.id,
      chat: ctx.chat?.id,
      ...describeError(err.error),
    });
    if (ctx.chat && !(err.error instanceof GrammyError && err.error.error_code === 403)) {
      await ctx.reply((ctx.t ?? LOCALES["zh-CN"]).error).catch(() => undefined);
    }
  };
}

/** The composition root: builds the bot, its compliance gate, the tip broadcaster and the daily push from deps. */
export function createBot(token: string, deps: BotDeps, options: CreateBotOptions = {}): BotApp {
  const client = {
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    fetch: globalThis.fetch as unknown as NonNullable<ConstructorParameters<typeof Api>[1]>["fetch"],
  };
  const bot = new Bot<BotContext>(token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client,
  });
  const guardian = new Guardian(deps.coach, countGuardBlocks(deps), fixedTexts());
  const fallback = LOCALES["zh-CN"].blockedOutgoing;
  if (options.transport) bot.api.config.use(options.transport);
  if (options.autoRetry !== false)
    bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  bot.api.config.use(guardian.transformer(fallback));
  const signer = new CallbackSigner(token);
  bot.api.config.use(signer.transformer());
  bot.api.config.use(fitTelegramLimits());

  // tips get their own Api: the broadcaster paces and retries itself; the guard still applies
  const tipApi = new Api(token, client);
  if (options.transport) tipApi.config.use(options.transport);
  tipApi.config.use(guardian.transformer(fallback));
  // each reader gets the tip in their script
  const sendTip = async (chatId: number, text: string) => {
    const reader = await deps.storage.users.get(chatId);
    return tipApi.sendMessage(chatId, inScript(text, scriptOf(reader?.locale ?? "zh-CN")), html);
  };
  const onTipDone = async (job: TipJob, report: DeliveryReport) => {
    guardian.releaseWarn(job.text);
    for (const result of ["sent", "failed", "inactive", "unknown"] as const)
      if (report[result])
        deps.metrics?.inc("coach_deliveries_total", { kind: "tip", result }, report[result]);
    const sender = await deps.storage.users.get(job.senderId);
    const t = LOCALES[sender?.locale ?? "zh-CN"];
    await bot.api.sendMessage(job.senderChatId, t.tipReport(report)).catch((err: unknown) => {
      deps.logger.warn("delivery report not sent", describeError(err));
    });
  };
  // several instances share Redis: tips and daily pushes go through one BullMQ queue
  const kv = deps.storage.kv;
  const queue =
    kv instanceof RedisKv
      ? new DeliveryQueue({
          connect: (role) => kv.jobConnection(role),
          rate: deps.config.BROADCAST_RATE,
          logger: deps.logger,
          ...(options.tipLeaseMs
            ? { lockMs: options.tipLeaseMs, stalledIntervalMs: Math.ceil(options.tipLeaseMs / 2) }
            : {}),
        })
      : undefined;
  const broadcaster: TipDelivery = queue
    ? new QueuedBroadcaster({
        queue,
        jobs: deps.storage.jobs,
        users: deps.storage.users,
        send: sendTip,
        logger: deps.logger,
        clock: deps.clock,
        onDone: onTipDone,
      })
    : new Broadcaster({
        jobs: deps.storage.jobs,
        users: deps.storage.users,
        send: sendTip,
        rate: deps.config.BROADCAST_RATE,
        logger: deps.logger,
        clock: deps.clock,
        ...(options.tipLeaseMs ? { leaseMs: options.tipLeaseMs } : {}),
        onDone: onTipDone,
      });

  const apiRoot = options.apiRoot ?? "https://api.telegram.org";
  const services: BotServices = {
    ...deps,
    guardian,
    broadcaster,
    sendQuiz: quizSender(deps, bot.api),
    async download(filePath) {
      // the URL holds the token: it is never logged
      const res = await globalThis.fetch(`${apiRoot}/file/bot${token}/${filePath}`);
      if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
  const dailyPush = new DailyPush({
    users: deps.storage.users,
    clock: deps.clock,
    timeZone: deps.config.TIMEZONE,
    rate: deps.config.BROADCAST_RATE,
    logger: deps.logger,
    ...(queue ? { queue } : {}),
    push: async (user) => {
      try {
        const ok = await services.sendQuiz(user, user.id, true);
        deps.metrics?.inc("coach_deliveries_total", { kind: "daily", result: ok ? "sent" : "failed" });
        return ok;
      } catch (err) {
        deps.metrics?.inc("coach_deliveries_total", { kind: "daily", result: "failed" });
        if (err instanceof GrammyError && err.error_code === 403)
          await deps.storage.users.patch(user.id, (u) => ({ ...u, active: false }));
        throw err;
      }
    },
  });

  deps.metrics?.gauge(
    "coach_tip_jobs_active",
    "Tip jobs not yet finished (queue depth)",
    async () => (await deps.storage.jobs.active()).length,
  );
  if (queue)
    deps.metrics?.gauge(
      "coach_delivery_queue_depth",
      "Deliveries (tip recipients, daily pushes) waiting, delayed or being sent on the shared queue",
      () => queue.depth(),
    );
  bot.catch(onError(deps.logger));
  // handleUpdate (webhook) rethrows what bot.catch would see: answer the user there too, so a
  // storage fault before the features (user lookup, de-duplication) still gets "稍后再试"
  bot.use(catchAll(onError(deps.logger)));
  if (options.dedupe) bot.use(dedupeUpdates(deps.storage.kv, deps.logger, deps.metrics));
  bot.use(measureUpdates(deps.metrics));
  // one update at a time per chat (per user for poll answers, which carry no chat), in this
  // process and, on Redis, across instances
  bot.use(sequentialize<BotContext>(orderKey));
  if (kv.backend === "redis") bot.use(orderAcrossInstances(kv));
  bot.use(attach(services));
  bot.use(normaliseMessage);
  // groups get a short note and nothing private, whoever asks
  bot.errorBoundary(onError(deps.logger)).use(group);
  bot.on(["edited_message", "edited_channel_post", "channel_post", "my_chat_member"], () => undefined);
  bot.use(floodLimit(deps.config.FLOOD_LIMIT_PER_MINUTE, () => deps.clock.now().getTime(), deps.storage.kv));
  bot.use(signer.middleware(deps.logger));

  const safe = bot.errorBoundary(onError(deps.logger));
  safe.use(invite);
  safe.use(strangerGate);
  safe.use(
    check,
    quiz,
    daily,
    stats,
    tip,
    gaps,
    admin,
    importTeam,
    pager,
    feedback,
    practice,
    ask,
    unhandled,
  );

  return {
    bot,
    services,
    broadcaster,
    daily: dailyPush,
    ...(queue ? { queue } : {}),
    async registerCommands() {
      const c = LOCALES["zh-CN"].commands;
      await bot.api.setMyCommands(
        Object.entries(c).map(([command, description]) => ({ command, description })),
      );
    },
  };
}

/** The guard logs every block; the metrics count them without the guard knowing about metrics. */
function countGuardBlocks(deps: BotDeps): Logger {
  const { logger, metrics } = deps;
  if (!metrics) return logger;
  return {
    ...logger,
    warn(msg, context) {
      if (msg.startsWith("outgoing text blocked")) metrics.inc("coach_guard_blocks_total");
      logger.warn(msg, context);
    },
  };
}
