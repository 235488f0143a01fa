import { z } from "zod";
import { CoachError } from "./errors.ts";

const hour = z.coerce.number().int().min(0).max(24);
const idList = z
  .string()
  .default("")
  .transform((s, ctx) =>
    s
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((x) => {
        if (!/^\d+$/.test(x)) ctx.addIssue({ code: "custom", message: `"${x}" is not a Telegram user id` });
        return Number(x);
      }),
  );
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "use HH:MM, e.g. 09:00");
const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
const optionalUrl = z.preprocess(emptyAsUndefined, z.string().url().optional());

const common = z.object({
  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, "looks wrong: expected <digits>:<secret> from BotFather")
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  ADMIN_IDS: idList,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20000),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_STRUCTURED: z.enum(["json_schema", "json_object", "text"]).default("json_schema"),
  LLM_DAILY_BUDGET: z.coerce.number().int().positive().default(200),
  REDIS_URL: optionalUrl,
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w-]{1,40}$/, "letters, digits, - and _ only")
    .default("coach"),
  DATA_DIR: z.string().default("data"),
  KNOWLEDGE_DIR: optionalString,
  EXTRA_RULES_DIR: optionalString,
  CONTACT_BLOCK_FROM: hour.default(22),
  CONTACT_BLOCK_UNTIL: hour.default(8),
  CONTACT_WARN_FROM: hour.default(21),
  DAILY_CONNECTED_CALLS: z.coerce.number().int().positive().default(3),
  DAILY_CALL_ATTEMPTS: z.coerce.number().int().positive().default(6),
  TIMEZONE: z.string().default("Asia/Shanghai"),
  DAILY_DEFAULT_TIME: hhmm.default("09:00"),
  BROADCAST_RATE: z.coerce.number().positive().max(30).default(25),
  INVITE_TTL_HOURS: z.coerce.number().positive().default(72),
  FLOOD_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  MAX_INPUT_CHARS: z.coerce.number().int().positive().default(1000),
  RETRIEVAL_THRESHOLD: z.coerce.number().positive().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

const polling = common.extend({ BOT_MODE: z.literal("polling").default("polling") });
const webhook = common.extend({
  BOT_MODE: z.literal("webhook"),
  WEBHOOK_URL: z.string().url(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 characters of A-Z a-z 0-9 _ -"),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
});

export const configSchema = z.discriminatedUnion("BOT_MODE", [webhook, polling]).superRefine((c, ctx) => {
  if (c.CONTACT_WARN_FROM > c.CONTACT_BLOCK_FROM)
    ctx.addIssue({
      code: "custom",
      path: ["CONTACT_WARN_FROM"],
      message: "must not be later than CONTACT_BLOCK_FROM",
    });
});

export type Config = z.infer<typeof configSchema>;

/** Read the environment once; fail fast naming every bad field. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = { ...env, BOT_MODE: env.BOT_MODE || "polling" };
  const r = configSchema.safeParse(input);
  if (!r.success) {
    throw new CoachError(
      "CONFIG_INVALID",
      r.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`),
    );
  }
  return r.data;
}
