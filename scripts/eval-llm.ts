/**
 * `npm run eval:llm` (the `--llm` pass of `npm run eval`): runs the dev sets through the offline core
 * and through LLM mode on the configured endpoint (OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL),
 * and prints the same figures side by side, so a company can measure its own model.
 *
 *   npm run eval:llm [-- --sets ../eval] [--show-misses]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { createLogger } from "../src/bot/logger.ts";
import type { CheckResult } from "../src/compliance/engine.ts";
import { loadConfig } from "../src/config.ts";
import { createCoach } from "../src/core/from-config.ts";
import { createLlmCoach } from "../src/llm/from-config.ts";
import type { Hit } from "../src/retrieval/retriever.ts";

const question = z.object({ q: z.string(), codes: z.array(z.string()) });
const phrasing = z.object({
  text: z.string(),
  expect: z.enum(["violation", "ok"]),
  categories: z.array(z.string()).default([]),
});

function readSet<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = schema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues[0]?.message}`);
      return r.data;
    });
}

function setsDir(argv: string[]): string {
  const i = argv.indexOf("--sets");
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
  const found = [join("..", "eval"), join("..", "shared", "eval")].find((d) =>
    existsSync(join(d, "questions.dev.jsonl")),
  );
  if (!found) throw new Error("dev sets not found: pass --sets <folder with questions.dev.jsonl>");
  return found;
}

interface AskFigures {
  hit1: number;
  hit3: number;
  seconds: number;
  used?: number;
  fallbacks?: Record<string, number>;
}

function hitFigures(want: string[], hits: Hit[]) {
  const w = new Set(want);
  const has = (h: Hit | undefined) => !!h && h.codes.some((c) => w.has(c));
  return { h1: has(hits[0]), h3: hits.slice(0, 3).some(has) };
}

function checkFigures(items: z.infer<typeof phrasing>[], results: CheckResult[]) {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  let cat = 0;
  items.forEach((it, i) => {
    const r = results[i]!;
    const flagged = r.verdict !== "pass";
    if (it.expect === "violation") {
      if (!flagged) fn++;
      else {
        tp++;
        if (r.violations.some((v) => it.categories.includes(v.category))) cat++;
      }
    } else if (flagged) fp++;
    else tn++;
  });
  return {
    recall: tp / Math.max(tp + fn, 1),
    falseAlarm: fp / Math.max(fp + tn, 1),
    categoryAcc: cat / Math.max(tp, 1),
  };
}

const f3 = (n: number) => n.toFixed(3);
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const coach = createCoach(config);
  // the dev sets are larger than one user's daily budget
  const llm = createLlmCoach({ ...config, LLM_DAILY_BUDGET: Number.MAX_SAFE_INTEGER }, coach, logger);
  if (!llm) {
    process.stderr.write("LLM mode is off: set OPENAI_BASE_URL and/or OPENAI_API_KEY (and OPENAI_MODEL).\n");
    return 2;
  }
  await llm.ready();
  const showMisses = argv.includes("--show-misses");
  const dir = setsDir(argv);
  const questions = readSet(join(dir, "questions.dev.jsonl"), question);
  const phrasings = readSet(join(dir, "phrasings.dev.jsonl"), phrasing);

  // ask
  const off: AskFigures = { hit1: 0, hit3: 0, seconds: 0 };
  const on: AskFigures = { hit1: 0, hit3: 0, seconds: 0, used: 0, fallbacks: {} };
  for (const it of questions) {
    let t0 = performance.now();
    const a = coach.ask(it.q);
    off.seconds += (performance.now() - t0) / 1000;
    const fa = hitFigures(it.codes, a.hits);
    off.hit1 += +fa.h1;
    off.hit3 += +fa.h3;
    t0 = performance.now();
    const b = await llm.ask(it.q, "eval");
    on.seconds += (performance.now() - t0) / 1000;
    const fb = hitFigures(it.codes, b.hits);
    on.hit1 += +fb.h1;
    on.hit3 += +fb.h3;
    if (b.llm.used) on.used! += 1;
    else on.fallbacks![b.llm.fallback ?? "?"] = (on.fallbacks![b.llm.fallback ?? "?"] ?? 0) + 1;
    if (showMisses && !b.llm.used) process.stdout.write(`FALLBACK[${b.llm.fallback}] ${it.q}\n`);
  }

  // check
  const offChecks: CheckResult[] = [];
  const onChecks: CheckResult[] = [];
  let checkOff = 0;
  let checkOn = 0;
  let judged = 0;
  let modelRewrites = 0;
  for (const it of phrasings) {
    let t0 = performance.now();
    offChecks.push(coach.check(it.text));
    checkOff += (performance.now() - t0) / 1000;
    t0 = performance.now();
    const r = await llm.check(it.text, "eval");
    checkOn += (performance.now() - t0) / 1000;
    onChecks.push(r);
    if (r.llm.used) judged++;
    if (r.llm.suggestionBy === "model") modelRewrites++;
    if (showMisses && (r.verdict === "pass") !== (offChecks.at(-1)!.verdict === "pass"))
      process.stdout.write(`JUDGE-CHANGED[${offChecks.at(-1)!.verdict}→${r.verdict}] ${it.text}\n`);
  }
  const co = checkFigures(phrasings, offChecks);
  const cl = checkFigures(phrasings, onChecks);

  const n = questions.length;
  const rows: Array<[string, string, string]> = [
    ["figure", "offline", `LLM (${config.OPENAI_MODEL})`],
    [`ask hit@1 (n=${n})`, f3(off.hit1 / n), f3(on.hit1 / n)],
    ["ask hit@3", f3(off.hit3 / n), f3(on.hit3 / n)],
    ["ask grounded answers used", "–", `${on.used}/${n}`],
    ["ask seconds", off.seconds.toFixed(1), on.seconds.toFixed(1)],
    [`check recall (n=${phrasings.length})`, f3(co.recall), f3(cl.recall)],
    ["check false_alarm_rate", f3(co.falseAlarm), f3(cl.falseAlarm)],
    ["check category_acc", f3(co.categoryAcc), f3(cl.categoryAcc)],
    ["check second opinions given", "–", `${judged}/${phrasings.length}`],
    ["check model rewrites offered", "–", String(modelRewrites)],
    ["check seconds", checkOff.toFixed(1), checkOn.toFixed(1)],
  ];
  for (const [a, b, c] of rows) process.stdout.write(`${pad(a, 32)}${pad(b, 10)}${c}\n`);
  const reasons = Object.entries(on.fallbacks!)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  if (reasons) process.stdout.write(`ask fallbacks: ${reasons}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
