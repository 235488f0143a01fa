import { BotError, type MiddlewareFn } from "grammy";
import type { Metrics } from "../ops/metrics.ts";
import type { Kv } from "../storage/kv.ts";
import type { BotContext } from "./context.ts";
import type { Logger } from "./logger.ts";

/** Telegram redelivers a webhook update for up to a day; one hour covers its retries. */
const SEEN_TTL_MS = 3600_000;

/**
 * Handle each update_id once, whichever instance gets it (SET NX with a TTL on Redis): Telegram
 * redelivers an update whose webhook answer was late, possibly to another instance.
 */
export function dedupeUpdates(kv: Kv, logger: Logger, metrics?: Metrics): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!(await kv.firstSeen(`update:${ctx.update.update_id}`, SEEN_TTL_MS))) {
      logger.debug("duplicate update dropped", { update: ctx.update.update_id });
      metrics?.inc("coach_updates_total", { outcome: "duplicate" });
      return;
    }
    await next();
  };
}

/** Whose updates must not overlap: the chat (the user for poll answers, which carry no chat). */
export const orderKey = (ctx: BotContext) =>
  String(ctx.chat?.id ?? ctx.from?.id ?? ctx.pollAnswer?.user?.id ?? ctx.update.update_id);

/**
 * One update at a time per chat across every instance (a Redis lock per chat): two messages of one
 * chat that reach two instances are handled one after the other, as one instance handles them.
 */
export function orderAcrossInstances(kv: Kv): MiddlewareFn<BotContext> {
  return (ctx, next) => kv.locked(`chat-order:${orderKey(ctx)}`, () => next());
}

/** Count updates by outcome and time them (errors are handled by the error boundary inside). */
export function measureUpdates(metrics?: Metrics): MiddlewareFn<BotContext> {
  return async (_ctx, next) => {
    if (!metrics) return next();
    const t0 = performance.now();
    let outcome = "ok";
    try {
      await next();
    } catch (err) {
      outcome = "error";
      throw err;
    } finally {
      metrics.observe((performance.now() - t0) / 1000);
      metrics.inc("coach_updates_total", { outcome });
    }
  };
}

/** An error boundary around everything after it, for front ends that call handleUpdate directly. */
export function catchAll(handler: (err: BotError<BotContext>) => Promise<void>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      await handler(err instanceof BotError ? (err as BotError<BotContext>) : new BotError(err, ctx));
    }
  };
}
