import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, createTestBot, testCoach } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const C = 31; // collector
const S = 30; // supervisor
beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
  await t.register(S, "supervisor", "北区");
  await t.register(C, "collector", "北区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

const everyTextPassesGuard = () => {
  for (const c of api.calls) {
    for (const f of ["text", "question", "explanation"]) {
      const v = c.payload[f];
      if (typeof v === "string") expect(testCoach().guard(v).allowed, v).toBe(true);
    }
  }
};

describe("ask", () => {
  it("answers a question in HTML, as a reply, with feedback, more-phrasing and related buttons", async () => {
    await t.say(C, "客户说没钱怎么办");
    const [call] = api.sent("sendMessage", C);
    expect(call!.payload.parse_mode).toBe("HTML");
    // the sources are links: no preview card under every answer
    expect(call!.payload.link_preview_options).toEqual({ is_disabled: true });
    expect(String(call!.payload.text)).toContain("<b>");
    const kb = (
      call!.payload.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }
    ).inline_keyboard.flat();
    const data = kb.map((b) => b.callback_data.replace(/\.[\w-]{8}$/, "")); // signed for the chat
    expect(data).toContain("fu:no-income-claims-broke");
    expect(data).toContain("fd:no-income-claims-broke");
    expect(data.some((d) => d.startsWith("rl:"))).toBe(true);
    everyTextPassesGuard();
  });

  it("answers in the asker's script (Traditional)", async () => {
    await t.say(C, "客戶說沒錢怎麼辦");
    expect(api.lastText(C)).toMatch(/[說還錢]/);
  });

  it("more phrasing, related topic and 👎 with a reason recorded as a gap", async () => {
    await t.callback(C, "mp:2:no-income-claims-broke");
    expect(api.lastText(C)).toContain("「");
    await t.callback(C, "rl:no-income-job-loss");
    expect(api.lastText(C)).toContain("<b>");
    await t.callback(C, "fd:no-income-claims-broke");
    expect(api.lastText(C)).toMatch(/哪[里裡]不好/);
    await t.callback(C, "fr:0:no-income-claims-broke", {
      reply_to_message: {
        message_id: 1,
        date: 0,
        chat: { id: C, type: "private" },
        text: "answer",
        reply_to_message: {
          message_id: 2,
          date: 0,
          chat: { id: C, type: "private" },
          text: "客户13812345678说没钱",
        },
      },
    });
    const gaps = await t.storage.gaps.top(["北区"], 10);
    expect(gaps.find((g) => g.kind === "disliked")?.text).toBe("客户[PHONE]说没钱");
    everyTextPassesGuard();
  });

  it("when unsure, offers the top three as numbered buttons; a press opens that answer; the miss is a gap", async () => {
    const q = "欠款人说卡里一分都没有，你们爱怎么办怎么办";
    const expected = testCoach().ask(q);
    expect(expected.confidence).toBe("unsure");
    await t.say(C, q);
    const [call] = api.sent("sendMessage", C);
    expect(String(call!.payload.text)).toMatch(/你是想问：/);
    const buttons = (
      call!.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }
    ).inline_keyboard.flat();
    // button data is signed: the signature follows the last dot
    expect(buttons.map((b) => b.callback_data.replace(/\.[^.]+$/, ""))).toEqual(
      expected.choices.map((id) => `rl:${id}`),
    );
    expect(buttons[0]!.text.startsWith("1. ")).toBe(true);
    await t.press(C, buttons[1]!.text);
    const chosen = testCoach().entries.get(expected.choices[1]!)!;
    expect(api.lastText(C)).toContain(chosen.title.slice(0, 10));
    const gaps = await t.storage.gaps.top(["北区"], 20);
    expect(gaps.some((g) => g.kind === "unanswered" && g.text === q)).toBe(true);
    everyTextPassesGuard();
  });

  it('answers a "can I" question with a clear no and the rule, not recorded as a gap', async () => {
    await t.say(C, "能不能去他单位闹");
    expect(api.lastText(C)).toMatch(/^⛔ <b>不能。<\/b>/);
    const gaps = await t.storage.gaps.top(["北区"], 20);
    expect(gaps.some((g) => g.text === "能不能去他单位闹")).toBe(false);
    everyTextPassesGuard();
  });

  it("logs unanswered questions; supervisors see their team's gaps, collectors may not", async () => {
    await t.say(C, "今天午饭吃什么好呢");
    await t.say(C, "今天午饭吃什么好呢");
    await t.say(S, "/gaps");
    expect(api.lastText(S)).toContain("午饭");
    expect(api.lastText(S)).toContain("×2");
    await t.say(C, "/gaps");
    expect(api.lastText(C)).toContain("没有权限");
  });

  it("handles stickers, overlong text and unknown commands without crashing", async () => {
    await t.say(C, "", {
      text: undefined,
      sticker: {
        file_id: "x",
        file_unique_id: "y",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
    });
    expect(api.lastText(C)).toContain("文字");
    await t.say(C, "没".repeat(1200));
    expect(api.lastText(C)).toContain("太长");
    await t.say(C, "/frobnicate");
    expect(api.lastText(C)).toContain("/help");
  });
});

describe("check", () => {
  it("explains each violation with basis and a suggestion, never echoing the offending words", async () => {
    await t.say(C, "/check 不还钱就让你坐牢，我会告诉你单位领导");
    const text = api.lastText(C);
    expect(text).toContain("不合规");
    expect(text).toContain("依据");
    expect(text).toContain("建议改为");
    // the collector's own words are not echoed; the rules' explanations come through whole
    expect(text).not.toContain("让你坐牢");
    expect(text).not.toContain("告诉你单位");
    expect(text).toContain("相威胁");
    expect(text).not.toContain("＊");
    everyTextPassesGuard();
  });

  it("checks the message replied to", async () => {
    await t.say(C, "/check", {
      reply_to_message: {
        message_id: 5,
        date: 0,
        chat: { id: C, type: "private" },
        text: "请您今天下午把款项还上",
      },
    });
    // the pass verdict (「⛔ 不合规」 contains 合规 too)
    expect(api.lastText(C)).toContain("✅ 合规");
    expect(api.lastText(C)).not.toContain("不合规");
    await t.say(C, "/check", {
      reply_to_message: {
        message_id: 6,
        date: 0,
        chat: { id: C, type: "private" },
        text: "再不还钱就让你坐牢",
      },
    });
    expect(api.lastText(C)).toContain("⛔ 不合规");
  });
});

describe("quiz", () => {
  it("sends a non-anonymous quiz poll, scores poll_answer, and /stats shows it", async () => {
    await t.say(C, "/quiz");
    const poll = api.sent("sendPoll", C)[0]!;
    expect(poll.payload).toMatchObject({ type: "quiz", is_anonymous: false });
    expect(Array.isArray(poll.payload.correct_option_ids)).toBe(true);
    const correct = (poll.payload.correct_option_ids as number[])[0]!;
    const pollId = "poll-1";
    await t.pollAnswer(C, pollId, correct);
    await t.pollAnswer(C, pollId, correct); // counted once
    let s = await t.storage.quiz.get(C);
    expect(s.stats).toMatchObject({ answered: 1, correct: 1, streak: 1 });

    await t.say(C, "/quiz");
    const poll2 = api.sent("sendPoll", C)[1]!;
    const right2 = (poll2.payload.correct_option_ids as number[])[0]!;
    await t.pollAnswer(C, "poll-2", (right2 + 1) % 3);
    s = await t.storage.quiz.get(C);
    expect(s.stats).toMatchObject({ answered: 2, correct: 1 });
    // the wrong one is due again sooner than the right one
    const [q1, q2] = Object.values(s.cards);
    expect(Date.parse(String(q2!.due))).toBeLessThan(Date.parse(String(q1!.due)));

    await t.say(C, "/stats");
    expect(api.lastText(C)).toContain("50%");
    expect(api.lastText(C)).toContain("连续练习：1 天");
    everyTextPassesGuard();
  });

  it("supervisors see /team for their own team only; leaderboard is opt-in", async () => {
    await t.say(S, "/team");
    expect(api.lastText(S)).toContain(`（${C}）`);
    await t.say(S, "/team 南区"); // supervisors cannot pick another team
    expect(api.lastText(S)).toContain("北区");
    await t.say(C, "/leaderboard");
    expect(api.lastText(C)).toContain("还没有人上榜");
    await t.say(C, "/leaderboard on");
    await t.say(C, "/leaderboard");
    expect(api.lastText(C)).toContain("用户31");
  });
});

describe("tips", () => {
  it("a compliant tip reaches the team (not other teams) and the sender gets a report", async () => {
    await t.register(32, "collector", "北区");
    await t.register(40, "collector", "南区");
    api.reset();
    await t.say(S, "/tip 今天重点跟进承诺还款的客户，记得核实还款日期。");
    expect(api.lastText(S)).toContain("正在发给 2 人");
    const jobs = await t.storage.jobs.active();
    for (const j of jobs) await t.app.broadcaster.wait(j.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(api.sent("sendMessage", C)).toHaveLength(1);
    expect(api.sent("sendMessage", 32)).toHaveLength(1);
    expect(api.sent("sendMessage", 40)).toHaveLength(0);
    expect(api.sent("sendMessage", ADMIN)).toHaveLength(0);
    expect(api.lastText(S)).toContain("成功 2");
  });

  it("a non-compliant tip is not sent; the supervisor sees why and a suggestion", async () => {
    await t.say(S, "/tip 跟客户说再不还钱就让他坐牢");
    expect(api.lastText(S)).toContain("没有发送");
    expect(api.sent("sendMessage", C)).toHaveLength(0);
    expect(await t.storage.jobs.active()).toHaveLength(0);
    everyTextPassesGuard();
  });

  it("collectors cannot send tips", async () => {
    await t.say(C, "/tip 大家加油");
    expect(api.lastText(C)).toContain("没有权限");
  });
});
