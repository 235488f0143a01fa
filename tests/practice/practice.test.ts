import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXCUSE_CODES } from "../../src/knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../../src/knowledge/load.ts";
import { loadScenarios } from "../../src/practice/load.ts";
import { detectMoves } from "../../src/practice/moves.ts";
import { PracticeCoach } from "../../src/practice/practice.ts";
import type { RoundState } from "../../src/practice/round.ts";
import type { Scorecard } from "../../src/practice/scorecard.ts";
import { emptyResults, PracticeStore, weakestPracticeCodes } from "../../src/practice/store.ts";
import { auditBank } from "../../src/practice/validate.ts";
import { createStorage } from "../../src/storage/index.ts";
import { toTraditional } from "../../src/text/script.ts";
import { realCoach } from "../helpers.ts";

const coach = realCoach();
const bank = loadScenarios([...coach.entries.values()]);
const practice = new PracticeCoach({ bank, entries: coach.entries, engine: coach });
const now = new Date("2026-03-02T02:00:00Z");

async function play(
  id: string,
  replies: string[],
): Promise<{ lines: string[]; card?: Scorecard; state: RoundState }> {
  const scenario = practice.scenario(id)!;
  let { state } = practice.start(scenario, now);
  const lines: string[] = [];
  for (const r of replies) {
    const step = await practice.reply(state, r, now);
    state = step.state;
    if (step.line) lines.push(step.line);
    if (step.scorecard) return { lines, card: step.scorecard, state };
  }
  return { lines, state };
}

describe("shipped practice scenarios", () => {
  it("has at least 3 scenarios for each of the 17 excuse codes, every difficulty, ≥3 debtor turns with branches", () => {
    for (const code of EXCUSE_CODES) {
      const mine = bank.scenarios.filter((s) => s.code === code);
      expect(mine.length, code).toBeGreaterThanOrEqual(3);
      expect(new Set(mine.map((s) => s.difficulty)), code).toEqual(new Set(["easy", "normal", "hard"]));
    }
    for (const s of bank.scenarios) {
      expect(s.turns.length, s.id).toBeGreaterThanOrEqual(3);
      for (const turn of s.turns) expect(Object.keys(turn).length, s.id).toBeGreaterThanOrEqual(2);
    }
  });

  it("every line the bot may say passes the compliance guard, in both scripts", () => {
    expect(auditBank(bank, (t) => coach.guard(t).allowed)).toEqual([]);
  });

  it("the audit names a blocked line and a thin excuse code", () => {
    const s = bank.scenarios[0]!;
    const bad = { ...bank, scenarios: [{ ...s, opening: "你们催收的都是吸血鬼" }] };
    const problems = auditBank(bad, (t) => coach.guard(t).allowed);
    expect(problems.some((p) => p.includes(s.id) && p.includes("吸血鬼"))).toBe(true);
    expect(problems.some((p) => p.includes("illness") && p.includes("at least 3"))).toBe(true);
  });

  it("every scenario is won with full marks by the rubric's own model phrasings", async () => {
    for (const s of bank.scenarios) {
      const items = s.rubric.map((id) => bank.templates.rubric[id]!);
      const replies = items.filter((i) => !i.avoid).map((i) => i.example!);
      // the amount-and-date reply last: agreeing closes the round
      replies.sort((a, b) => Number(/\d+元/.test(a)) - Number(/\d+元/.test(b)));
      while (replies.length <= s.turns.length) replies.push(bank.templates.rubric.understanding!.example!);
      const { card } = await play(s.id, replies);
      expect(card?.violations, s.id).toEqual([]);
      expect(card?.score, s.id).toBe(100);
    }
  });

  it("the entries' recommended phrasings never count as threats", () => {
    for (const s of bank.scenarios) {
      const entry = coach.entries.get(s.entry)!;
      for (const say of entry.say) expect(detectMoves(say, bank.templates), say).not.toContain("threat");
    }
  });
});

describe("reading a collector's reply", () => {
  const cases: Array<[string, string[], string[]]> = [
    ["我理解您的难处，您现在每个月收入大概多少？", ["empathy", "verify"], ["plan"]],
    ["我们可以帮您申请分期", ["plan"], ["commit"]],
    ["这个月25号先还500元可以吗", ["commit"], []],
    ["五百块，下周三之前", ["commit"], []],
    ["您每个月还有什么收入吗？", ["verify"], ["plan"]],
    ["少废话，今天必须还", ["threat"], []],
    ["麻烦您把转账记录截图发给我们", ["proof"], []],
    ["我理解您的難處，您現在每個月收入大概多少？", ["empathy", "verify"], []],
    ["收入", [], ["verify"]], // not a question
  ];
  it.each(cases)("%s", (reply, has, hasNot) => {
    const moves = detectMoves(reply, bank.templates);
    for (const m of has) expect(moves).toContain(m);
    for (const m of hasNot) expect(moves).not.toContain(m);
  });
});

describe("a round", () => {
  it("a good verification question gets information; the debtor escalates on pressure", async () => {
    const good = await play("no-income-shop-closed-normal", ["您现在每个月收入大概多少？"]);
    expect(good.lines[0]).toContain("设备卖了一万出头");
    const bad = await play("no-income-shop-closed-normal", ["少来这套，今天必须还"]);
    expect(bad.lines[0]).toContain("投诉");
  });

  it("a hard debtor hangs up on the first empty threat; an easy one takes two", async () => {
    const hard = await play("no-income-really-broke-hard", ["少废话，今天必须还"]);
    expect(hard.card?.outcome).toBe("hung-up");
    expect(hard.card?.items.find((i) => i.id === "no-threats")?.met).toBe(false);
    const easy = await play("no-income-laid-off-easy", ["少废话，今天必须还", "别找借口了"]);
    expect(easy.card).toBeUndefined();
    const easy3 = await play("no-income-laid-off-easy", ["少废话", "别找借口了", "赶紧还"]);
    expect(easy3.card?.outcome).toBe("hung-up");
  });

  it("a blocking violation ends the round with the rule, reason, basis and a compliant version", async () => {
    const { card, lines } = await play("illness-surgery-easy", ["我理解您", "不还钱就去你单位找你领导"]);
    expect(lines).toHaveLength(1);
    expect(card?.outcome).toBe("violation");
    expect(card?.score).toBe(0);
    const v = card!.violations[0]!;
    expect(v.severity).toBe("block");
    expect(v.rule).toBeTruthy();
    expect(v.explanation).toBeTruthy();
    expect(v.basis).toBeTruthy();
    expect(v.suggestion).toBeTruthy();
    expect(coach.check(v.suggestion!).verdict).toBe("pass");
  });

  it("a warning is noted on the scorecard and the round goes on", async () => {
    const { lines, state } = await play("no-income-laid-off-easy", ["我理解您，我今晚九点半再给您打电话"]);
    expect(lines).toHaveLength(1);
    const card = practice.end(state, "abandoned");
    expect(card.violations.map((v) => [v.severity, v.category])).toEqual([["warn", "contact-hours"]]);
    expect(card.score).toBeGreaterThan(0);
  });

  it("/stop and timeouts give a scorecard from what was said so far", async () => {
    const { state } = await play("no-income-laid-off-easy", ["我理解您现在的难处"]);
    const card = practice.end(state, "abandoned");
    expect(card.outcome).toBe("abandoned");
    expect(card.items.find((i) => i.id === "understanding")?.met).toBe(true);
    expect(card.items.find((i) => i.id === "plan")?.met).toBe(false);
  });

  it("third-party rounds reward asking for a call back and punish telling the debt", async () => {
    const polite = await play("third-party-mother-answers-easy", [
      "您好，不好意思打扰您了。",
      "麻烦您转告他方便的时候给我们回个电话，谢谢您。",
      "好的，谢谢您。",
      "再见。",
    ]);
    expect(polite.card?.score).toBe(100);
    const leaky = await play("third-party-mother-answers-easy", [
      "他在我们这儿还有一笔账没处理",
      "好的",
      "再见",
      "谢谢",
    ]);
    // hinting at the debt is caught: by the rubric, or by the engine's learned layer ending the round
    if (leaky.card?.outcome === "violation") {
      expect(leaky.card.violations[0]?.category).toMatch(/third-party/);
    } else {
      expect(leaky.lines[0]).toContain("到底多少");
      expect(leaky.card?.items.find((i) => i.id === "no-disclose")?.met).toBe(false);
    }
    // saying it outright is a violation the engine stops
    const told = await play("third-party-mother-answers-easy", ["他的信用卡逾期了，您让他赶快还钱"]);
    expect(told.card?.outcome).toBe("violation");
    expect(told.card?.violations[0]?.category).toBe("third-party-disclosure");
  });
});

describe("choosing a scenario", () => {
  it("by id, by code and difficulty, from the weakest codes, avoiding recent ones", () => {
    expect(practice.pick({ target: "illness-chronic-hard" })?.id).toBe("illness-chronic-hard");
    const s = practice.pick({ target: "defiant", difficulty: "hard" });
    expect(s?.code).toBe("defiant");
    expect(s?.difficulty).toBe("hard");
    expect(practice.pick({ weakCodes: ["unreachable"] })?.code).toBe("unreachable");
    const ids = bank.scenarios.filter((x) => x.code === "illness").map((x) => x.id);
    const fresh = practice.pick({ target: "illness", recent: ids.slice(0, 2) });
    expect(fresh?.id).toBe(ids[2]);
    expect(practice.pick({ target: "nothing-like-this" })).toBeUndefined();
  });
});

describe("results store", () => {
  it("keeps rounds per user; abandoned rounds are listed but not averaged; weakest codes first", async () => {
    const storage = await createStorage({ dataDir: mkdtempSync(join(tmpdir(), "practice-")) });
    const store = new PracticeStore(storage.kv);
    const card = (code: string, score: number, outcome: Scorecard["outcome"] = "deal"): Scorecard => ({
      scenarioId: `${code}-x`,
      code,
      difficulty: "easy",
      title: "t",
      outcome,
      score,
      items: [],
      violations: [],
      advice: [],
      replies: 3,
      endedAt: now.toISOString(),
    });
    await store.record(1, card("illness", 40));
    await store.record(1, card("defiant", 90));
    await store.record(1, card("no-income", 60));
    await store.record(1, card("no-income", 0, "abandoned"));
    const r = await store.results(1);
    expect(r.total).toEqual({ rounds: 3, scoreSum: 190 });
    expect(r.recent).toHaveLength(4);
    expect(weakestPracticeCodes(r)).toEqual(["illness", "no-income"]);
    expect(await store.results(2)).toEqual(emptyResults());
    await storage.close();
  });
});

describe("loading scenarios", () => {
  it("says so when a knowledge folder has no scenarios", () => {
    const dir = mkdtempSync(join(tmpdir(), "no-scenarios-"));
    expect(() => loadScenarios([...coach.entries.values()], dir)).toThrow(/no practice scenarios here/);
  });

  it("names the file and field of every mistake", () => {
    const dir = mkdtempSync(join(tmpdir(), "scenarios-"));
    cpSync(
      join(DEFAULT_KNOWLEDGE_DIR, "scenarios", "_templates.yaml"),
      join(dir, "scenarios", "_templates.yaml"),
      {
        recursive: true,
      },
    );
    writeFileSync(
      join(dir, "scenarios", "bad.yaml"),
      [
        "- id: bad-one",
        "  code: no-income",
        "  entry: illness-debtor-sick",
        "  difficulty: easy",
        "  title: 例子",
        "  persona: 例子",
        "  opening: 你好",
        "  turns:",
        "    - { default: 嗯, flatter: 哈 }",
        "    - { verify: 嗯 }",
        "    - { default: 嗯, plan: 好 }",
        "  close: { deal: 好, open: 再说 }",
      ].join("\n"),
    );
    let message = "";
    try {
      loadScenarios([...coach.entries.values()], dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("bad.yaml[bad-one]: turns.1: a turn needs a default line");
    const withCode = message.split("\n").find((l) => l.includes("does not declare"));
    expect(withCode).toBeUndefined(); // the schema errors come first; fix them and the rest shows
  });

  it("checks entries and moves once the schema is right", () => {
    const dir = mkdtempSync(join(tmpdir(), "scenarios-"));
    cpSync(
      join(DEFAULT_KNOWLEDGE_DIR, "scenarios", "_templates.yaml"),
      join(dir, "scenarios", "_templates.yaml"),
    );
    writeFileSync(
      join(dir, "scenarios", "bad.yaml"),
      [
        "- id: bad-two",
        "  code: no-income",
        "  entry: illness-debtor-sick",
        "  difficulty: easy",
        "  title: 例子",
        "  persona: 例子",
        "  opening: 你好",
        "  turns:",
        "    - { default: 嗯, flatter: 哈 }",
        "    - { default: 嗯, verify: 嗯 }",
        "    - { default: 嗯, plan: 好 }",
        "  close: { deal: 好, open: 再说 }",
      ].join("\n"),
    );
    expect(() => loadScenarios([...coach.entries.values()], dir)).toThrow(
      /bad-two\]: entry: "illness-debtor-sick" does not declare the code "no-income"[\s\S]*turns\.0: unknown move "flatter"/,
    );
  });
});

describe("scripts", () => {
  it("a round played in Traditional scores the same as in Simplified", async () => {
    const replies = [
      "我理解您现在的难处，您现在每个月还有什么收入吗？",
      "补偿金大概还剩多少？生活开销大概多少呢？",
      "我可以帮您申请分期，先还一部分，您看可以吗？",
      "那我们定下来：这个月25号先还500元，可以吗？",
    ];
    const simplified = await play("no-income-laid-off-easy", replies);
    const traditional = await play("no-income-laid-off-easy", replies.map(toTraditional));
    expect(simplified.card?.score).toBe(100);
    expect(traditional.card?.score).toBe(100);
    expect(traditional.lines).toEqual(simplified.lines);
  });

  it("Traditional lines are the Simplified ones converted (the bot converts at send time)", () => {
    expect(toTraditional(bank.scenarios[0]!.opening)).not.toBe(bank.scenarios[0]!.opening);
  });
});
