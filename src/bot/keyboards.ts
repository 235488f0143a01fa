import { InlineKeyboard } from "grammy";
import { DISLIKE_REASONS, type DislikeReason } from "../storage/gaps.ts";
import { inScript, type Script } from "../text/script.ts";
import type { Messages } from "./locales/index.ts";

/**
 * Callback data, one prefix per inline flow. Handlers see it plain; on the way out it is signed
 * for its chat (callback-signing.ts), and signed it must fit Telegram's 64 bytes: entry ids are
 * kebab-case of at most 40 characters, so the longest (`fr:3:<id>.<sig>`) takes 54.
 */
export const CB = {
  up: (entry: string) => `fu:${entry}`,
  down: (entry: string) => `fd:${entry}`,
  reason: (reason: DislikeReason, entry: string) => `fr:${DISLIKE_REASONS.indexOf(reason)}:${entry}`,
  skip: (entry: string) => `fs:${entry}`,
  more: (shown: number, entry: string) => `mp:${shown}:${entry}`,
  related: (entry: string) => `rl:${entry}`,
  tipOk: (id: string) => `tp:ok:${id}`,
  tipNo: (id: string) => `tp:no:${id}`,
} as const;

export const CB_RE = {
  up: /^fu:([a-z0-9-]+)$/,
  down: /^fd:([a-z0-9-]+)$/,
  reason: /^fr:(\d):([a-z0-9-]+)$/,
  skip: /^fs:([a-z0-9-]+)$/,
  more: /^mp:(\d+):([a-z0-9-]+)$/,
  related: /^rl:([a-z0-9-]+)$/,
  tip: /^tp:(ok|no):([\w-]+)$/,
} as const;

const short = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function answerKeyboard(
  t: Messages,
  script: Script,
  entryId: string | null,
  related: Array<{ id: string; title: string }>,
  morePhrasing: boolean,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (entryId) {
    kb.text(t.fbUp, CB.up(entryId)).text(t.fbDown, CB.down(entryId));
    if (morePhrasing) kb.text(t.morePhrasing, CB.more(2, entryId));
    kb.row();
  }
  for (const r of related.slice(0, 3))
    kb.text(t.related(short(inScript(r.title, script))), CB.related(r.id)).row();
  return kb;
}

/**
 * "Not sure" answers list the likely questions as 1., 2., 3.; one button each, numbered the same,
 * opens that answer (the related-topic flow).
 */
export function choicesKeyboard(
  script: Script,
  choices: Array<{ id: string; title: string }>,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  choices.slice(0, 3).forEach((c, i) => {
    kb.text(`${i + 1}. ${short(inScript(c.title, script), 30)}`, CB.related(c.id)).row();
  });
  return kb;
}

export function reasonKeyboard(t: Messages, entryId: string): InlineKeyboard {
  const kb = new InlineKeyboard();
  DISLIKE_REASONS.forEach((r, i) => {
    kb.text(t.reasons[r], CB.reason(r, entryId));
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(t.skipReason, CB.skip(entryId));
}
