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
