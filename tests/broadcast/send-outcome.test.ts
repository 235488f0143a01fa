import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifySendError, errorText } from "../../src/broadcast/send-outcome.ts";
import { badRequest, blocked, tooMany } from "./helpers.ts";

/** What a failed send means for a tip's recipient: wait, give up on them, or try again. */
describe("a failed send", () => {
  it("429 waits Telegram's retry_after, in milliseconds, and one second when Telegram gives none", () => {
    expect(classifySendError(tooMany(7))).toEqual({ kind: "rate-limited", ms: 7000 });
    const noHint = new GrammyError(
      "429",
      { ok: false, error_code: 429, description: "Too Many Requests" },
      "sendMessage",
      {},
    );
    expect(classifySendError(noHint)).toEqual({ kind: "rate-limited", ms: 1000 });
  });

  it("403 (blocked the bot, left) marks the member inactive; another refusal is not retried", () => {
    expect(classifySendError(blocked())).toEqual({ kind: "inactive" });
    expect(classifySendError(badRequest())).toEqual({ kind: "refused" });
  });

  it("network trouble and anything else is transient: the message may go through on another attempt", () => {
    expect(
      classifySendError(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"))),
    ).toEqual({
      kind: "transient",
    });
    expect(classifySendError("socket hang up")).toEqual({ kind: "transient" });
  });

  it("the reason written to the log is the error's message, or the thrown value itself", () => {
    expect(errorText(new Error("ECONNRESET"))).toBe("ECONNRESET");
    expect(errorText("socket hang up")).toBe("socket hang up");
  });
});
