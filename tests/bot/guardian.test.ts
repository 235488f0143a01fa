import { describe, expect, it } from "vitest";
import { Guardian } from "../../src/bot/guardian.ts";
import type { Coach } from "../../src/core/coach.ts";
import { recordingLogger } from "../broadcast/helpers.ts";
import { realCoach } from "../helpers.ts";

/**
 * The outgoing guard on its own: what a reader receives when the bot is about to send a text that
 * does not pass (masked words, a fallback, nothing), and what goes out untouched.
 */
const BLOCK = "你这个老赖";
const WARN = "晚上九点半再给他打一次";
const WARN_TW = "晚上九點半再給他打一次";
const FINE = "逾期会如实报送您本人的征信";

const guardian = (fixed: string[] = []) => {
  const logger = recordingLogger();
  return { g: new Guardian(realCoach(), logger, new Set(fixed)), logger };
};

/** run the transformer; returns what reached Telegram */
async function send(g: Guardian, method: string, payload: Record<string, unknown>) {
  const out: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const prev = (async (m: string, p: Record<string, unknown>) => {
    out.push({ method: m, payload: p });
    return { ok: true, result: true };
  }) as never;
  await g.transformer("（已拦截）")(prev, method as never, payload as never, undefined);
  return out;
}

describe("what may go out", () => {
  it("a warned text only once a supervisor confirmed it, in both scripts, until released", () => {
    const { g } = guardian();
    expect(g.passes(WARN)).toBe(false);
    expect(g.check(WARN, true).allowed).toBe(true);
    g.allowWarnFor(WARN);
    expect(g.passes(WARN)).toBe(true);
    expect(g.passes(WARN_TW)).toBe(true);
    g.releaseWarn(WARN);
    expect(g.passes(WARN)).toBe(false);
    expect(g.passes(WARN_TW)).toBe(false);
    // a blocked text never, confirmed or not
    g.allowWarnFor(BLOCK);
    expect(g.passes(BLOCK)).toBe(false);
  });

  it("the bot's own reviewed UI strings go out as they are; anything else is checked", () => {
    const { g } = guardian([BLOCK]);
    expect(g.passes(BLOCK)).toBe(true);
    expect(g.passes(`${BLOCK}！`)).toBe(false);
  });
});

describe("masking", () => {
  it("masks exactly the offending words, keeping the rest readable", () => {
    const { g } = guardian();
    expect(g.clean(`客户说：${BLOCK}`)).toBe("客户说：你这个＊＊");
    expect(g.clean(FINE)).toBe(FINE);
  });

  it("masks every offending phrase of a text, so that what is left passes", () => {
    const { g } = guardian();
    const text = "你这个老赖，赶紧还钱，不然坐牢";
    const out = g.clean(text);
    expect(out).not.toBe("");
    expect(out).not.toContain("老赖");
    expect(out).not.toContain("坐牢");
    expect(out.length).toBe(text.length);
    expect(g.passes(out)).toBe(true);
  });

  it("HTML: lines that pass stay as they are, an offending line is masked as plain text", () => {
    const { g } = guardian();
    const html = `<b>示例</b>\n${FINE}\n<i>${BLOCK}</i>`;
    expect(g.safeHtml(html)).toBe(`<b>示例</b>\n${FINE}\n你这个＊＊`);
    expect(g.safeHtml(`<b>${FINE}</b>`)).toBe(`<b>${FINE}</b>`);
    // a warned line stays when the supervisor confirmed warnings
    expect(g.safeHtml(`${FINE}\n${WARN}`, true)).toBe(`${FINE}\n${WARN}`);
    expect(g.safeHtml(`${FINE}\n${WARN}`)).not.toContain("九点半");
  });

  it("HTML: lines emptied by masking leave no gap of more than one blank line", () => {
    const { g } = guardian();
    expect(g.safeHtml(`第一段\n\n\n\n第二段\n${BLOCK}`)).toBe("第一段\n\n第二段\n你这个＊＊");
  });
});

describe("the API transformer", () => {
  it("passes a clean message through untouched", async () => {
    const { g, logger } = guardian();
    const payload = { chat_id: 1, text: FINE, reply_markup: { inline_keyboard: [] } };
    expect(await send(g, "sendMessage", payload)).toEqual([{ method: "sendMessage", payload }]);
    expect(logger.lines).toEqual([]);
  });

  it("a message with a violation goes out masked, and the operator is told which method and verdict", async () => {
    const { g, logger } = guardian();
    const [out] = await send(g, "sendMessage", { chat_id: 1, text: `客户说：${BLOCK}` });
    expect(out!.payload.text).toBe("客户说：你这个＊＊");
    const [html] = await send(g, "editMessageText", {
      chat_id: 1,
      text: `<b>${BLOCK}</b>`,
      parse_mode: "HTML",
    });
    expect(html!.payload.text).toBe("你这个＊＊");
    expect(logger.lines[0]).toMatchObject({
      level: "warn",
      msg: expect.stringContaining("blocked"),
      ctx: { method: "sendMessage", verdict: "block" },
    });
  });

  it("a message refused without words to mask gets the fallback text and loses its buttons", async () => {
    // a finding that points at no words (as a whole-text judgement does)
    const refuses = {
      guard: () => ({ allowed: false, verdict: "block", violations: [{ start: 0, end: 0 }] }),
    } as unknown as Coach;
    const g = new Guardian(refuses, recordingLogger());
    const [out] = await send(g, "sendMessage", {
      chat_id: 1,
      text: "随便什么",
      reply_markup: { inline_keyboard: [[{ text: "好", callback_data: "x" }]] },
    });
    expect(out!.payload).toEqual({ chat_id: 1, text: "（已拦截）" });
    expect(g.clean("随便什么")).toBe("");
    expect(g.safeHtml("<b>随便</b>\n什么")).toBe("");
  });

  it("captions, poll questions, explanations and options are checked too", async () => {
    const { g } = guardian();
    for (const [method, payload] of [
      ["sendPhoto", { chat_id: 1, photo: "x", caption: BLOCK }],
      ["sendPoll", { chat_id: 1, question: BLOCK, options: [{ text: "是" }, { text: "否" }] }],
      ["sendPoll", { chat_id: 1, question: "选哪个", options: [{ text: FINE }, { text: BLOCK }] }],
      [
        "sendPoll",
        {
          chat_id: 1,
          type: "quiz",
          question: "选哪个",
          options: [{ text: FINE }, { text: "好" }],
          correct_option_ids: [0],
          explanation: BLOCK,
        },
      ],
    ] as const) {
      await expect(send(g, method, payload), `${method} ${JSON.stringify(payload)}`).rejects.toThrow(
        `compliance guard blocked ${method}`,
      );
    }
    // a quiz's wrong answer may show a violation
    const quiz = {
      chat_id: 1,
      type: "quiz",
      question: "选哪个",
      options: [{ text: FINE }, { text: BLOCK }],
      correct_option_ids: [0],
    };
    expect(await send(g, "sendPoll", quiz)).toHaveLength(1);
  });

  it("a callback answer with a violation is answered without its text (the button stops spinning)", async () => {
    const { g } = guardian();
    const [out] = await send(g, "answerCallbackQuery", {
      callback_query_id: "q",
      text: BLOCK,
      show_alert: true,
    });
    expect(out).toEqual({
      method: "answerCallbackQuery",
      payload: { callback_query_id: "q", text: undefined, show_alert: true },
    });
  });
});

/**
 * A guard with findings of every shape, for the edges of masking: 「禁」 is an offending word (a span),
 * 「整段」 a judgement on the whole text (no span to mask), 「甲」 with 「乙」 fine apart but not together.
 */
function shapedCoach() {
  let calls = 0;
  const coach = {
    guard: (text: string) => {
      calls++;
      const spans = [...text.matchAll(/禁/g)].map((m) => ({ start: m.index, end: m.index + 1 }));
      if (text.includes("整段")) spans.push({ start: 0, end: 0 });
      if (text.includes("错位")) spans.push({ start: 0, end: 1 });
      const together = text.includes("甲") && text.includes("乙");
      const allowed = !spans.length && !together;
      return {
        allowed,
        verdict: allowed ? "pass" : "block",
        violations: together ? [{ start: 0, end: 0 }] : spans,
      };
    },
  } as unknown as Coach;
  return { coach, calls: () => calls };
}

describe("masking edges", () => {
  it("masks only the offending word, not the characters after it", () => {
    const g = new Guardian(shapedCoach().coach, recordingLogger());
    expect(g.clean("前面禁后面")).toBe("前面＊后面");
  });

  it("a text that cannot be made to pass is dropped after a bounded number of rounds", () => {
    const { coach, calls } = shapedCoach();
    const g = new Guardian(coach, recordingLogger());
    expect(g.clean("整段都不行")).toBe("");
    const before = calls();
    expect(g.clean("前文错位")).toBe("");
    // five masking rounds and the final check
    expect(calls() - before).toBeLessThanOrEqual(6);
  });

  it("HTML that passes goes out exactly as written, blank lines and all", () => {
    const g = new Guardian(shapedCoach().coach, recordingLogger());
    const html = "<b>标题</b>\n\n\n\n正文 ";
    expect(g.safeHtml(html)).toBe(html);
  });

  it("HTML: a line with nothing left is dropped, with no blank edge left behind", () => {
    const g = new Guardian(shapedCoach().coach, recordingLogger());
    expect(g.safeHtml("整段\n<b>正文</b>")).toBe("<b>正文</b>");
    expect(g.safeHtml("<b>正文</b>\n整段")).toBe("<b>正文</b>");
  });

  it("HTML whose lines pass one by one but not together is not sent", () => {
    const g = new Guardian(shapedCoach().coach, recordingLogger());
    expect(g.safeHtml("甲\n乙")).toBe("");
  });
});
