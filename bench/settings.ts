import type { BotSettings } from "../src/bot/context.ts";

/** The token every benchmark bot uses (the fake Bot API accepts any). */
export const BENCH_TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz";

/** Bot settings for benchmarks: one admin, no flood limit in the way, tips at `rate` messages/s. */
export const benchSettings = (rate: number): BotSettings => ({
  ADMIN_IDS: [1],
  TIMEZONE: "Asia/Shanghai",
  DAILY_DEFAULT_TIME: "09:00",
  INVITE_TTL_HOURS: 72,
  FLOOD_LIMIT_PER_MINUTE: 1_000_000,
  MAX_INPUT_CHARS: 1000,
  BROADCAST_RATE: rate,
});
