import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareFn, Transformer } from "grammy";
import type { BotContext } from "./context.ts";
import type { Logger } from "./logger.ts";
import { byteLength, LIMITS } from "./telegram-limits.ts";

const SIG_BYTES = 6; // 8 base64url characters
const SEP = ".";

/**
 * Inline-button data signed with an HMAC bound to the chat the button was sent to: a client that
 * forges or copies data to another chat is refused before any handler (or store) sees it.
 * Handlers write plain data; the API transformer signs it on the way out and the middleware
 * verifies it and hands handlers the plain data again.
 */
export class CallbackSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash("sha256").update(`callback-data:${secret}`).digest();
  }

  private mac(data: string, chatId: number): string {
    return createHmac("sha256", this.key)
      .update(`${chatId}:${data}`)
      .digest()
      .subarray(0, SIG_BYTES)
      .toString("base64url");
  }

  sign(data: string, chatId: number): string {
    const signed = `${data}${SEP}${this.mac(data, chatId)}`;
    if (byteLength(signed) > LIMITS.callbackData)
      throw new Error(`callback data too long once signed (${byteLength(signed)} bytes): ${data}`);
    return signed;
  }

  /** The plain data, or undefined when the signature does not match this chat. */
  verify(signed: string, chatId: number): string | undefined {
    const i = signed.lastIndexOf(SEP);
    if (i <= 0) return undefined;
    const data = signed.slice(0, i);
    const got = Buffer.from(signed.slice(i + 1));
    const want = Buffer.from(this.mac(data, chatId));
    return got.length === want.length && timingSafeEqual(got, want) ? data : undefined;
  }

  /** API transformer: signs every callback button of an outgoing keyboard for the chat it goes to. */
  transformer(): Transformer {
    return (prev, method, payload, signal) => {
      const p = payload as Record<string, unknown>;
      const kb = (p.reply_markup as { inline_keyboard?: Array<Array<Record<string, unknown>>> } | undefined)
        ?.inline_keyboard;
      if (!kb || typeof p.chat_id !== "number") return prev(method, payload, signal);
      const chatId = p.chat_id;
      const signed = kb.map((row) =>
        row.map((b) =>
          typeof b.callback_data === "string"
            ? { ...b, callback_data: this.sign(b.callback_data, chatId) }
            : b,
        ),
      );
      const markup = { ...(p.reply_markup as object), inline_keyboard: signed };
      return prev(method, { ...p, reply_markup: markup } as unknown as typeof payload, signal);
    };
  }

  /** Middleware: refuses callback queries whose data is not signed for their chat; unwraps the rest. */
  middleware(logger: Logger): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      const cq = ctx.callbackQuery;
      if (!cq?.data) return next();
      const chatId = cq.message?.chat.id ?? cq.from.id;
      const data = this.verify(cq.data, chatId);
      if (data === undefined) {
        logger.warn("forged or foreign callback data refused", { user: cq.from.id, chat: chatId });
        return void (await ctx.answerCallbackQuery({ text: ctx.t.forgedButton, show_alert: true }));
      }
      cq.data = data;
      await next();
    };
  }
}
