import { randomBytes } from "node:crypto";
import { Composer, GrammyError, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "./context.ts";
import { html } from "./middleware.ts";
import { LIMITS, splitHtml, visibleText } from "./telegram-limits.ts";

/** A list the bot may have to show in several pages: header on every page, one item per line. */
export interface LongMessage {
  /** Telegram-HTML lines shown on top of every page */
  header: string[];
  /** Telegram-HTML lines, one item each (an item never breaks across pages) */
  lines: string[];
  /** lines shown after the list, on the last page */
  footer?: string[];
  /** offered as a CSV document export (rosters) */
  csv?: { fileName: string; caption: string; rows: Array<Array<string | number>> };
}

interface StoredPages {
  owner: number;
  pages: string[];
  csv?: LongMessage["csv"];
}

export const LINES_PER_PAGE = 40;
const PAGES_TTL_MS = 24 * 3600_000;
/** room left for the page counter line */
const RESERVE = 40;
const key = (id: string) => `pages:${id}`;

/** Cut a long message into pages of at most `perPage` items that each fit Telegram's text limit. */
export function paginate(m: LongMessage, perPage = LINES_PER_PAGE, limit: number = LIMITS.text): string[] {
  const header = m.header.join("\n");
  const budget = limit - RESERVE - visibleText(header).length - 1;
  const bodyLines = [...m.lines, ...(m.footer?.length ? ["", ...m.footer] : [])];
  const pages: string[] = [];
  let cur: string[] = [];
  let len = 0;
  let items = 0;
  const flush = () => {
    if (cur.length) pages.push([header, ...cur].join("\n").trim());
    cur = [];
    len = 0;
    items = 0;
  };
  for (const line of bodyLines) {
    for (const part of line ? splitHtml(line, budget) : [""]) {
      const l = visibleText(part).length + 1;
      if (cur.length && (len + l > budget || items >= perPage)) flush();
      cur.push(part);
      len += l;
      items++;
    }
  }
  flush();
  return pages.length ? pages : [header];
}

/** CSV (RFC 4180, UTF-8 with BOM for spreadsheet apps; cells that would run as formulas are quoted off). */
export function toCsv(rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === "string") s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

function keyboard(ctx: BotContext, id: string, page: number, total: number, csv: boolean) {
  const kb = new InlineKeyboard();
  if (total > 1) {
    kb.text(page > 0 ? "◀" : "·", `pg:${id}:${Math.max(0, page - 1)}`)
      .text(`${page + 1}/${total}`, `pg:${id}:${page}`)
      .text(page < total - 1 ? "▶" : "·", `pg:${id}:${Math.min(total - 1, page + 1)}`);
  }
  if (csv) kb.row().text(ctx.t.exportCsv, `pg:${id}:csv`);
  return kb;
}

/**
 * Send any list that may be long: one message when it fits, otherwise the first page with ◀ ▶
 * buttons (pages kept for a day, only for the person who asked) and, for rosters, a CSV export.
 */
export async function replyLong(ctx: BotContext, m: LongMessage): Promise<void> {
  const pages = paginate(m);
  if (pages.length === 1 && !m.csv) return void (await ctx.reply(pages[0]!, html));
  const id = randomBytes(6).toString("base64url");
  const stored: StoredPages = { owner: ctx.from!.id, pages, ...(m.csv ? { csv: m.csv } : {}) };
  await ctx.deps.storage.kv.set(key(id), stored, PAGES_TTL_MS);
  await ctx.reply(pages[0]!, { ...html, reply_markup: keyboard(ctx, id, 0, pages.length, !!m.csv) });
}

/** The ◀ ▶ and CSV buttons of replyLong. */
export const pager = new Composer<BotContext>();

pager.callbackQuery(/^pg:([\w-]+):(\d+|csv)$/, async (ctx) => {
  const [, id, what] = ctx.match;
  const stored = await ctx.deps.storage.kv.get<StoredPages>(key(id!));
  if (!stored || stored.owner !== ctx.from.id)
    return void (await ctx.answerCallbackQuery({ text: ctx.t.expired }));
  if (what === "csv") {
    await ctx.answerCallbackQuery();
    if (!stored.csv) return;
    const file = new InputFile(Buffer.from(toCsv(stored.csv.rows), "utf8"), stored.csv.fileName);
    return void (await ctx.replyWithDocument(file, { caption: stored.csv.caption }));
  }
  const page = Math.min(Number(what), stored.pages.length - 1);
  await ctx.answerCallbackQuery();
  const current = ctx.callbackQuery.message;
  if (current && "text" in current && current.text === visibleText(stored.pages[page]!)) return;
  await ctx
    .editMessageText(stored.pages[page]!, {
      ...html,
      reply_markup: keyboard(ctx, id!, page, stored.pages.length, !!stored.csv),
    })
    .catch((err: unknown) => {
      if (!(err instanceof GrammyError && /not modified/.test(err.description))) throw err;
    });
});
