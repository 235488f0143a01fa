import type { Transformer } from "grammy";
import { escapeHtml } from "../text/html.ts";

/** Telegram Bot API limits the bot must respect (https://core.telegram.org/bots/api). */
export const LIMITS = {
  /** sendMessage / editMessageText text, characters after entity parsing */
  text: 4096,
  /** media captions, characters after entity parsing */
  caption: 1024,
  /** inline button callback_data, bytes */
  callbackData: 64,
  /** answerCallbackQuery text, characters */
  callbackAnswer: 200,
} as const;

const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** The text Telegram shows for a Telegram-HTML string: tags removed, entities decoded, trimmed. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi, (_, e: string) => {
      if (e[0] === "#")
        return String.fromCodePoint(
          e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        );
      return ENTITY[e.toLowerCase()] ?? "";
    })
    .trim();
}

/** Length as Telegram counts it (UTF-16 code units of the visible text). */
export const telegramLength = (text: string, parseMode?: string): number =>
  (parseMode === "HTML" ? visibleText(text) : text.trim()).length;

export const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");

/**
 * Split Telegram-HTML into messages that each fit `limit`, at line boundaries (every line of the
 * bot's HTML closes its own tags). A single line longer than the limit is cut as plain text.
 */
export function splitHtml(html: string, limit: number = LIMITS.text): string[] {
  const pages: string[] = [];
  let cur: string[] = [];
  let curLen = 0;
  const flush = () => {
    const page = cur.join("\n").trim();
    if (page) pages.push(page);
    cur = [];
    curLen = 0;
  };
  for (const line of html.split("\n")) {
    const len = visibleText(line).length + 1;
    if (len - 1 > limit) {
      flush();
      const plain = visibleText(line);
      for (let i = 0; i < plain.length; i += limit) pages.push(escapeHtml(plain.slice(i, i + limit)));
      continue;
    }
    if (curLen + len > limit) flush();
    cur.push(line);
    curLen += len;
  }
  flush();
  return pages;
}

/**
 * Last line of defence (lists use the pager): a sendMessage over the text limit goes out as several
 * messages split at line boundaries, the keyboard on the last; an edited text or a caption over its
 * limit is cut with "…". Telegram would otherwise refuse the whole message.
 */
export function fitTelegramLimits(): Transformer {
  return async (prev, method, payload, signal) => {
    const p = payload as Record<string, unknown>;
    const mode = typeof p.parse_mode === "string" ? p.parse_mode : undefined;
    if (
      method === "sendMessage" &&
      typeof p.text === "string" &&
      telegramLength(p.text, mode) > LIMITS.text
    ) {
      const parts = mode === "HTML" ? splitHtml(p.text) : splitPlain(p.text, LIMITS.text);
      const { reply_markup, ...rest } = p;
      let last: Awaited<ReturnType<typeof prev>> | undefined;
      for (const [i, text] of parts.entries()) {
        const isLast = i === parts.length - 1;
        last = await prev(
          method,
          { ...rest, text, ...(isLast && reply_markup ? { reply_markup } : {}) } as unknown as typeof payload,
          signal,
        );
        if (!last.ok) return last;
      }
      return last!;
    }
    for (const [field, limit] of [
      ["caption", LIMITS.caption],
      ...(method === "editMessageText" ? [["text", LIMITS.text] as const] : []),
    ] as const) {
      const v = p[field];
      if (typeof v === "string" && telegramLength(v, mode) > limit) {
        const cut = mode === "HTML" ? escapeHtml(visibleText(v).slice(0, limit - 1)) : v.slice(0, limit - 1);
        return prev(method, { ...p, [field]: `${cut}…` } as unknown as typeof payload, signal);
      }
    }
    return prev(method, payload, signal);
  };
}

function splitPlain(text: string, limit: number): string[] {
  const pieces = text
    .split("\n")
    .flatMap((line) =>
      line.length <= limit
        ? [line]
        : Array.from({ length: Math.ceil(line.length / limit) }, (_, i) =>
            line.slice(i * limit, (i + 1) * limit),
          ),
    );
  const out: string[] = [];
  let cur: string | undefined;
  for (const piece of pieces) {
    if (cur !== undefined && cur.length + 1 + piece.length > limit) {
      out.push(cur);
      cur = undefined;
    }
    cur = cur === undefined ? piece : `${cur}\n${piece}`;
  }
  if (cur !== undefined) out.push(cur);
  return out.filter((s) => s.trim());
}
