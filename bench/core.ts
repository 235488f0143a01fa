import { ComplianceEngine } from "../src/compliance/engine.ts";
import { LearnedLayer } from "../src/compliance/learned/layer.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import { Coach } from "../src/core/coach.ts";
import { loadEntries } from "../src/knowledge/load.ts";
import type { Entry } from "../src/knowledge/schema.ts";
import { entryToDoc, Retriever, type SearchDoc } from "../src/retrieval/retriever.ts";
import { ms, percentile, timeEach } from "./stats.ts";

const QUERIES = [
  "客户说他失业了没钱还怎么办",
  "債務人說家裡有人住院，錢都花光了",
  "客户说不给减免就不还",
  "他一直不接电话还把我拉黑了",
  "客户一接电话就骂人",
  "M3以上的客户怎么催",
  "诉讼时效是多久",
  "客户说已经还过了",
  "欠款人说找了律师",
  "共情策略怎么用",
];

/** A synthetic knowledge base `factor` times larger: copies with shuffled words so terms stay realistic. */
function synthetic(entries: Entry[], factor: number): Entry[] {
  const out: Entry[] = [];
  for (let k = 0; k < factor; k++) {
    for (const e of entries) {
      out.push({
        ...e,
        id: `${e.id}-x${k}`,
        triggers: e.triggers.map(
          (t, i) => (k % 2 ? [...t].reverse().join("") : t) + (i === k % e.triggers.length ? `${k}` : ""),
        ),
      });
    }
  }
  return out;
}

function benchRetrieval(label: string, entries: Entry[]): void {
  const t0 = performance.now();
  const r = new Retriever(entries.map(entryToDoc));
  const build = performance.now() - t0;
  const queries = Array.from({ length: 50 }, () => QUERIES).flat();
  for (let i = 0; i < 20; i++) for (const q of QUERIES) r.search(q); // warm up the JIT
  const times = timeEach(queries, (q) => r.search(q));
  console.log(
    `retrieval ${label}: ${entries.length} entries, index build ${ms(build)}, query p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`,
  );
}

const TEXTS = [
  "您好，我是XX银行信用卡中心的工作人员，请问是张先生本人吗？",
  "再不还钱，小心你的腿",
  "我理解您现在的困难，我们一起看看有没有适合您的分期方案。如果您确实有困难，可以提供相关证明，我们帮您申请延期还款，具体以银行审批为准。",
  "他白天不接，我打算今晚十一点再打给他",
  "你不还钱，我就打电话告诉你们单位领导你欠钱不还",
  "请只通过官方APP或对公账户还款，我们不会让您转到个人账户。逾期会记录在您的个人征信报告中，建议您尽快处理。感谢您今天的配合，我们下周三再跟您确认还款进度。您的情况我已经记录下来，会转给相关部门评估是否可以减免部分费用。",
];

/** Each timed text is unique (a counter is appended), as a collector's new phrasings are. */
export function benchCompliance(): void {
  const rules = loadRules();
  benchEngine("rules", new ComplianceEngine(rules));
  const learned = LearnedLayer.load(rules);
  if (learned) benchEngine("rules + learned layer", new ComplianceEngine(rules, {}, learned));
}

function benchEngine(label: string, engine: ComplianceEngine): void {
  for (let i = 0; i < 30_000; i++) engine.evaluate(`${TEXTS[i % TEXTS.length]!}#${i}`); // warm up the JIT
  const n = 30_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) engine.evaluate(`${TEXTS[i % TEXTS.length]!}${i}`);
  const secs = (performance.now() - t0) / 1000;
  const tc = performance.now();
  for (let i = 0; i < 3000; i++) engine.check(`${TEXTS[i % TEXTS.length]!}${i}`);
  const checkSecs = (performance.now() - tc) / 1000;
  console.log(
    `compliance (${label}): ${Math.round(n / secs).toLocaleString("en")} checks/s (verdict + violations, 20–200 chars); ${Math.round(3000 / checkSecs).toLocaleString("en")} checks/s with rewrite suggestion`,
  );
  for (let i = 0; i < 3; i++) engine.check("打".repeat(100_000)); // warm up the JIT on long input
  const inputs = {
    "cues and symbols": "晚上十一点再打你家楼下老-赖坐 牢不要以为警察".repeat(5000).slice(0, 100_000),
    "all negators": "不".repeat(100_000),
    "no cue": "你".repeat(100_000),
  };
  const medians = Object.entries(inputs).map(([name, text]) => {
    const times = Array.from({ length: 5 }, () => {
      const s = performance.now();
      engine.check(text);
      return performance.now() - s;
    }).sort((a, b) => a - b);
    return `${name} ${ms(percentile(times, 50))}`;
  });
  console.log(
    `compliance (${label}) 100 KB adversarial inputs (median of 5): ${medians.join(", ")} (target < 100 ms)`,
  );
}

/** What a collector asks: excuses, both scripts, "can I" questions, a heading of a company document. */
const ASKED = [
  ...QUERIES,
  "能不能去他单位闹",
  "可以上门拜访他吗",
  "通讯录要不要爆",
  "欠款人说卡里一分都没有，你们爱怎么办怎么办",
  "催收主管的职责是什么",
  "可以去他公司找他老闆嗎",
];

/** Passages as an ingested folder gives them: one per entry step, titled with a heading path. */
function syntheticPassages(entries: Entry[]): SearchDoc[] {
  return entries.flatMap((e, i) =>
    e.steps.map((step, k) => ({
      id: `doc${i % 7}.txt#${e.id}-${k}`,
      kind: "passage" as const,
      title:
        k === 0 && i === 0 ? "4. 催收主管的职责是什么" : `第${(i % 9) + 1}模块 › ${e.title.slice(0, 12)}`,
      codes: e.codes,
      triggers: "",
      keywords: "",
      diagnosis: "",
      body: step,
      file: `doc${i % 7}.txt`,
      docTitle: `培训文档${i % 7}`,
    })),
  );
}

/** The offline answer end to end: retrieval, verdicts, passages, composition, the guard on every block. */
function benchAnswer(label: string, entries: Entry[]): void {
  const t0 = performance.now();
  const coach = new Coach({ entries, rules: loadRules(), passages: syntheticPassages(entries) });
  const build = performance.now() - t0;
  const cold = timeEach(ASKED, (q) => coach.ask(q));
  for (let i = 0; i < 10; i++) for (const q of ASKED) coach.ask(q); // warm up the JIT
  const times = timeEach(Array.from({ length: 30 }, () => ASKED).flat(), (q) => coach.ask(q));
  console.log(
    `answer ${label}: ${entries.length} entries + ${coach.passages.size} passages, build ${ms(build)}, first answers p95 ${ms(percentile(cold, 95))}, answer p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (target p95 ≤ ${label === "1x" ? 5 : 50} ms)`,
  );
}

export function runCoreBench(): void {
  // compliance first: the 100x index leaves a large heap whose collection would land in its timings
  benchCompliance();
  const entries = loadEntries();
  benchRetrieval("1x", entries);
  benchAnswer("1x", entries);
  const large = synthetic(entries, 100);
  benchRetrieval("100x", large);
  benchAnswer("100x", large);
}
