import { Composer } from "grammy";
import type { CheckResult } from "../../compliance/engine.ts";
import { inScript } from "../../text/script.ts";
import type { BotContext } from "../context.ts";
import { isRegistered } from "../filters/roles.ts";
import { html } from "../middleware.ts";
import { withTyping } from "../typing.ts";

/** /check <text> (or reply /check to a message): verdict, each violation's explanation and basis, the compliant suggestion. */
export const check = new Composer<BotContext>();

/**
 * The check report. The offending words themselves (the evidence) are never echoed. Rule texts pass
 * the guard as written (a knowledge test enforces it); Guardian.clean stays as the safety net for
 * company rules added later, masking whatever the guard objects to.
 */
export function formatCheck(ctx: BotContext, r: CheckResult): string {
  const { t, script } = ctx;
  const clean = (s: string) => ctx.deps.guardian.clean(inScript(s, script));
  const lines = [`<b>${t.verdict[r.verdict]}</b>`];
  r.violations.forEach((v, i) => {
    lines.push(
      t.checkViolation(
        i + 1,
        t.topic(v.category),
        t.severity[v.severity] ?? v.severity,
        clean(v.description),
      ),
    );
    const why = clean(v.explanation);
    if (why) lines.push(t.checkWhy(why));
    const basis = clean(v.basis);
    if (basis) lines.push(t.checkBasis(basis));
  });
  if (r.suggestion) {
    const s = clean(r.suggestion);
    if (s) lines.push(t.checkSuggestion(s));
  } else if (r.verdict === "pass") lines.push(t.checkPassNote);
  return lines.join("\n");
}

check.filter(isRegistered).command("check", async (ctx) => {
  const reply = ctx.msg.reply_to_message;
  const text = ctx.match.trim() || reply?.text || reply?.caption || "";
  if (!text) return void (await ctx.reply(ctx.t.checkUsage));
  if (text.length > ctx.deps.config.MAX_INPUT_CHARS)
    return void (await ctx.reply(ctx.t.tooLong(ctx.deps.config.MAX_INPUT_CHARS)));
  const { coach, llm } = ctx.deps;
  // LLM mode adds a second opinion (it may add a violation, never clears one) and a model rewrite
  const r = llm ? await withTyping(ctx, () => llm.check(text, String(ctx.from!.id))) : coach.check(text);
  await ctx.reply(formatCheck(ctx, r), {
    ...html,
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
  });
});
