import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { loadRules } from "../src/compliance/load-rules.ts";
import { COMPLIANCE_CATEGORIES, EXCUSE_CODES, SCENARIO_CODES } from "../src/knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadEntries } from "../src/knowledge/load.ts";
import { adviceTexts } from "../src/quiz/advice.ts";
import { loadQuiz } from "../src/quiz/load.ts";
import { realCoach } from "./helpers.ts";

const entries = loadEntries();

describe("shipped knowledge base", () => {
  it("covers every scenario code of the taxonomy", () => {
    const covered = new Set(entries.flatMap((e) => e.codes));
    expect(SCENARIO_CODES.filter((c) => !covered.has(c))).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(60);
  });

  it("has colloquial triggers in both scripts for every excuse", () => {
    for (const code of EXCUSE_CODES) {
      const triggers = entries.filter((e) => e.codes.includes(code)).flatMap((e) => e.triggers);
      expect(
        triggers.some((t) => /[說還錢沒辦讓這個們]/.test(t)),
        code,
      ).toBe(true);
    }
  });

  it("every example phrasing passes the compliance engine", () => {
    const coach = realCoach();
    const failing = entries.flatMap((e) =>
      e.say.filter((s) => coach.check(s).verdict !== "pass").map((s) => `${e.id}: ${s}`),
    );
    expect(failing).toEqual([]);
  });

  it("every entry's composed answer passes the guard and fits a Telegram message", () => {
    const coach = realCoach();
    for (const e of entries) {
      const a = coach.ask(e.triggers[0]!);
      expect(a.verdict, e.id).toBe("pass");
      expect(a.html.length).toBeLessThanOrEqual(4096);
    }
  });

  it("every rule's description, explanation, basis and suggestion passes the guard", () => {
    const coach = realCoach();
    const failing = loadRules().flatMap((r) =>
      [r.description, r.explanation, r.basis, r.suggest]
        .filter((t) => !coach.guard(t).allowed)
        .map((t) => `${r.id}: ${t}`),
    );
    expect(failing).toEqual([]);
  });

  it("has rules for every compliance category", () => {
    const cats = new Set(loadRules().map((r) => r.category));
    expect(COMPLIANCE_CATEGORIES.filter((c) => !cats.has(c))).toEqual([]);
  });

  it("has a valid quiz bank of at least 80 questions whose stem, answer and explanation pass the guard", () => {
    const quiz = loadQuiz(join(DEFAULT_KNOWLEDGE_DIR, "quiz"), new Set(entries.map((e) => e.id)));
    expect(quiz.length).toBeGreaterThanOrEqual(80);
    const coach = realCoach();
    const failing = quiz
      .filter((q) => !adviceTexts(q).every((t) => coach.guard(t).allowed))
      .map((q) => `${q.id}: ${adviceTexts(q).find((t) => !coach.guard(t).allowed)}`);
    expect(failing).toEqual([]);
  });
});

describe("validation errors name the file and the field", () => {
  it("reports a bad entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "entries"));
    writeFileSync(join(dir, "entries", "bad.yaml"), "id: Bad Id\ntitle: x\ncodes: [not-a-code]\n");
    expect(() => loadEntries(dir)).toThrowError(/bad\.yaml: id: .*kebab-case/);
    expect(() => loadEntries(dir)).toThrowError(/bad\.yaml: codes\.0/);
    expect(() => loadEntries(dir)).toThrowError(/bad\.yaml: triggers/);
  });

  it("reports a bad rule", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "rules"));
    writeFileSync(join(dir, "rules", "r.yaml"), "- id: r1\n  category: rudeness\n  severity: block\n");
    expect(() => loadRules(dir)).toThrowError(/r\.yaml: category/);
  });
});
