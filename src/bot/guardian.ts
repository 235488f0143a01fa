import type { Transformer } from "grammy";
import type { GuardResult } from "../compliance/guard.ts";
import type { Coach } from "../core/coach.ts";
import { escapeHtml, stripHtml } from "../text/html.ts";
import { toTraditional } from "../text/script.ts";
import type { Logger } from "./logger.ts";

const MASK = "＊";

/**
 * The compliance gate in front of Telegram: every outgoing text is checked by coach.guard.
 * Handlers use `clean` to mask the offending words of explanatory text (rule explanations,
 * quoted questions) so that it can be shown; the API transformer is the last line.
 */
export class Guardian {
  /** texts a supervisor confirmed after a warning (exact text) */
  private readonly warnOk = new Set<string>();

  constructor(
    private readonly coach: Coach,
    private readonly logger: Logger,
    /** the bot's own fixed UI strings, reviewed once by a test: sent as they are */
    private readonly fixed: ReadonlySet<string> = new Set(),
  ) {}

  check(text: string, allowWarn = false): GuardResult {
    return this.coach.guard(text, { allowWarn: allowWarn || this.warnOk.has(text) });
  }

  /** Does an outgoing text pass: one of the bot's fixed UI strings, or allowed by the guard. */
  passes(text: string): boolean {
    return this.fixed.has(text) || this.check(text).allowed;
  }

  /** A text confirmed after a warning may go out (in both scripts: tips reach readers in theirs). */
  allowWarnFor(text: string): void {
    this.warnOk.add(text);
    this.warnOk.add(toTraditional(text));
  }

  releaseWarn(text: string): void {
    this.warnOk.delete(text);
    this.warnOk.delete(toTraditional(text));
  }

  /** Plain text with the words the guard objects to masked, so that it passes. */
  clean(plain: string): string {
    let text = plain;
    for (let round = 0; round < 5; round++) {
      const r = this.coach.guard(text);
      if (r.allowed) return text;
      const spans = r.violations.filter((v) => v.end > v.start);
      if (!spans.length) break;
      // spans are UTF-16 offsets into the text
      const units = text.split("");
      for (const v of spans) for (let i = v.start; i < v.end && i < units.length; i++) units[i] = MASK;
      text = units.join("");
    }
    return this.coach.guard(text).allowed ? text : "";
  }

  /**
   * Telegram HTML that passes: lines that pass are kept as they are; a line that does not is sent
   * as plain text with the offending words masked (or dropped). Empty string when nothing is left.
   */
  safeHtml(html: string, allowWarn = false): string {
    if (this.check(html, allowWarn).allowed) return html;
    const lines = html.split("\n").map((line) => {
      if (this.check(line, allowWarn).allowed) return line;
      const plain = this.clean(stripHtml(line));
      return plain ? escapeHtml(plain) : "";
    });
    const out = lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return out && this.check(out, allowWarn).allowed ? out : "";
  }

  /** API transformer: blocks any outgoing text that does not pass (messages get `fallback`). */
  transformer(fallback: string): Transformer {
    return (prev, method, payload, signal) => {
      const p = payload as Record<string, unknown>;
      const texts: string[] = [];
      for (const f of ["text", "caption", "question", "explanation"])
        if (typeof p[f] === "string") texts.push(p[f] as string);
      if (Array.isArray(p.options)) {
        // a quiz poll's incorrect options are wrong answers on display, not advice (src/quiz/advice.ts)
        const correct = p.type === "quiz" ? new Set(p.correct_option_ids as number[] | undefined) : undefined;
        (p.options as Array<{ text?: string }>).forEach((o, i) => {
          if (o?.text && (!correct || correct.has(i))) texts.push(o.text);
        });
      }
      const bad = texts.find((t) => !this.passes(t));
      if (bad !== undefined) {
        this.logger.warn("outgoing text blocked by compliance guard", {
          method,
          verdict: this.check(bad).verdict,
        });
        if ((method === "sendMessage" || method === "editMessageText") && typeof p.text === "string") {
          const masked = p.parse_mode === "HTML" ? this.safeHtml(p.text) : this.clean(p.text);
          if (masked) return prev(method, { ...p, text: masked } as typeof payload, signal);
          const { reply_markup: _drop, ...rest } = p;
          return prev(method, { ...rest, text: fallback } as typeof payload, signal);
        }
        if (method === "answerCallbackQuery")
          return prev(method, { ...p, text: undefined } as typeof payload, signal);
        throw new Error(`compliance guard blocked ${method}`);
      }
      return prev(method, payload, signal);
    };
  }
}
