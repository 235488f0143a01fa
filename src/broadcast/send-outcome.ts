import { GrammyError } from "grammy";

/** What a failed send means for the recipient and for everyone after them. */
export type SendFailure =
  /** 429: nothing may go out to anyone for ms; this recipient is tried again after it */
  | { kind: "rate-limited"; ms: number }
  /** 403: the user blocked the bot or left; marked inactive, not tried again */
  | { kind: "inactive" }
  /** network trouble, the message may go through on another attempt */
  | { kind: "transient" }
  /** Telegram refused this message (400 chat not found, …): trying again changes nothing */
  | { kind: "refused" };

export function classifySendError(err: unknown): SendFailure {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) return { kind: "rate-limited", ms: (err.parameters.retry_after ?? 1) * 1000 };
    if (err.error_code === 403) return { kind: "inactive" };
    return { kind: "refused" };
  }
  return { kind: "transient" };
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
