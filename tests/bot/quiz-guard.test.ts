import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Guardian } from "../../src/bot/guardian.ts";
import { silentLogger } from "../../src/bot/logger.ts";
import { loadQuizBank } from "../../src/bot/quiz-bank.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/knowledge/load.ts";
import { adviceTexts } from "../../src/quiz/advice.ts";
import { loadQuiz } from "../../src/quiz/load.ts";
import { realCoach } from "../helpers.ts";

const poll = (correct: number) => ({
  chat_id: 1,
  type: "quiz",
  question: "下面哪种说法合规？",
  options: [{ text: "逾期会如实报送您本人的征信" }, { text: "再不还就让你坐牢" }],
  correct_option_ids: [correct],
  explanation: "只能如实说明后果，不得以坐牢相威胁。",
});

describe("quiz and the compliance guard", () => {
  it("ships the whole quiz bank: every stem, correct answer and explanation on disk passes", () => {
    // the files as written, not the bank the guard already filtered
    const onDisk = loadQuiz(join(DEFAULT_KNOWLEDGE_DIR, "quiz"), new Set(realCoach().entries.keys()));
    expect(onDisk.length).toBeGreaterThanOrEqual(120);
    for (const q of onDisk)
      for (const t of adviceTexts(q)) expect(realCoach().guard(t).allowed, t).toBe(true);
    // so the bot holds nothing back
    const bank = loadQuizBank(DEFAULT_KNOWLEDGE_DIR, realCoach(), silentLogger);
    expect(bank.map((q) => q.id)).toEqual(onDisk.map((q) => q.id));
  });

  it("lets a quiz poll show a violation as a wrong answer, never as the right one", async () => {
    const sent: string[] = [];
    const prev = (async (method: string) => {
      sent.push(method);
      return { ok: true, result: true };
    }) as never;
    const transform = new Guardian(realCoach(), silentLogger).transformer("blocked");
    await transform(prev, "sendPoll", poll(0) as never);
    expect(sent).toEqual(["sendPoll"]);
    await expect(async () => transform(prev, "sendPoll", poll(1) as never)).rejects.toThrow(
      /compliance guard/,
    );
    const regular = { ...poll(0), type: "regular" };
    await expect(async () => transform(prev, "sendPoll", regular as never)).rejects.toThrow(
      /compliance guard/,
    );
  });
});
