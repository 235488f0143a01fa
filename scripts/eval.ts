/**
 * npm run eval — what each compliance layer catches, on every labelled set we have:
 * the shared dev set (when ../shared is beside the project), the corpus train split and the corpus
 * HELD-OUT split (never used for training, thresholds or rules). Rules only vs rules + model,
 * per category and per script. `--misses heldout|train|dev` lists the misses of that set (rules + model).
 */
import { existsSync, readFileSync } from "node:fs";
import { loadCorpus, splitOf } from "../src/compliance/corpus.ts";
import { ComplianceEngine, type Verdict } from "../src/compliance/engine.ts";
import { LearnedLayer } from "../src/compliance/learned/layer.ts";
import { loadRules } from "../src/compliance/load-rules.ts";
import { COMPLIANCE_CATEGORIES } from "../src/knowledge/codes.ts";
import { detectScript } from "../src/text/script.ts";

interface Item {
  text: string;
  violation: boolean;
  categories: string[];
  script: "hans" | "hant";
}

const rules = loadRules();
const learned = LearnedLayer.load(rules);
const engines: Array<[string, ComplianceEngine]> = [["rules", new ComplianceEngine(rules)]];
if (learned) engines.push(["rules+model", new ComplianceEngine(rules, {}, learned)]);
else console.log("(no trained model in knowledge/compliance-model: run npm run train)");

const sets: Array<[string, Item[]]> = [];
const dev = new URL("../../shared/eval/phrasings.dev.jsonl", import.meta.url);
if (existsSync(dev)) {
  const rows = readFileSync(dev, "utf8").split("\n").filter(Boolean);
  sets.push([
    "dev",
    rows.map((l) => {
      const r = JSON.parse(l) as { text: string; expect: string; categories?: string[] };
      return {
        text: r.text,
        violation: r.expect === "violation",
        categories: r.categories ?? [],
        script: detectScript(r.text) === "traditional" ? "hant" : "hans",
      };
    }),
  ]);
}
const corpus = loadCorpus();
for (const split of ["train", "heldout"] as const) {
  sets.push([
    `corpus ${split}`,
    corpus
      .filter((i) => splitOf(i.source) === split)
      .map((i) => ({
        text: i.text,
        violation: i.label === "violation",
        categories: i.categories,
        script: i.script,
      })),
  ]);
}

const missesOf = process.argv.includes("--misses")
  ? process.argv[process.argv.indexOf("--misses") + 1]
  : null;
const pct = (a: number, b: number) => (b ? (a / b).toFixed(3) : "  -  ");

for (const [name, items] of sets) {
  const sources = name.startsWith("corpus")
    ? ` from ${new Set(corpus.filter((i) => `corpus ${splitOf(i.source)}` === name).map((i) => i.source)).size} sources`
    : "";
  const nv = items.filter((i) => i.violation).length;
  console.log(
    `\n== ${name}: ${items.length} texts (${nv} violations, ${items.length - nv} compliant)${sources}`,
  );
  const results = engines.map(([label, engine]) => ({
    label,
    out: items.map((i) => engine.evaluate(i.text)),
  }));
  const flagged = (v: Verdict) => v !== "pass";
  console.log("layer         recall  false-alarms  category-acc  blocks  warns");
  for (const { label, out } of results) {
    let tp = 0;
    let fp = 0;
    let cat = 0;
    let blocks = 0;
    let warns = 0;
    items.forEach((it, k) => {
      const o = out[k]!;
      if (o.verdict === "block") blocks++;
      if (o.verdict === "warn") warns++;
      if (!flagged(o.verdict)) return;
      if (it.violation) {
        tp++;
        if (o.violations.some((v) => it.categories.includes(v.category))) cat++;
      } else fp++;
    });
    console.log(
      `${label.padEnd(12)}  ${pct(tp, nv)}   ${pct(fp, items.length - nv)}         ${pct(cat, tp)}         ${String(blocks).padStart(4)}  ${String(warns).padStart(5)}`,
    );
  }
  // confusion: what the model adds over the rules
  if (results.length === 2) {
    const [r, m] = results as [(typeof results)[0], (typeof results)[0]];
    let addTp = 0;
    let addFp = 0;
    items.forEach((it, k) => {
      if (!flagged(r.out[k]!.verdict) && flagged(m.out[k]!.verdict)) it.violation ? addTp++ : addFp++;
    });
    console.log(`the model adds ${addTp} caught violations and ${addFp} false alarms over the rules`);
  }
  console.log("per script    recall (rules / +model)   false alarms (rules / +model)");
  for (const script of ["hans", "hant"] as const) {
    const idx = items.map((it, k) => (it.script === script ? k : -1)).filter((k) => k >= 0);
    const v = idx.filter((k) => items[k]!.violation);
    const ok = idx.filter((k) => !items[k]!.violation);
    const cells = results.map(({ out }) => [
      pct(v.filter((k) => flagged(out[k]!.verdict)).length, v.length),
      pct(ok.filter((k) => flagged(out[k]!.verdict)).length, ok.length),
    ]);
    console.log(
      `${script.padEnd(6)} n=${String(idx.length).padEnd(4)} ${cells.map((c) => c[0]).join(" / ")}              ${cells.map((c) => c[1]).join(" / ")}`,
    );
  }
  console.log("per category  n    recall (rules / +model)");
  for (const c of COMPLIANCE_CATEGORIES) {
    const idx = items.map((it, k) => (it.categories.includes(c) ? k : -1)).filter((k) => k >= 0);
    if (!idx.length) continue;
    const cells = results.map(({ out }) =>
      pct(idx.filter((k) => flagged(out[k]!.verdict)).length, idx.length),
    );
    console.log(`${c.padEnd(24)} ${String(idx.length).padEnd(4)} ${cells.join(" / ")}`);
  }
  if (missesOf && name.endsWith(missesOf)) {
    const last = results[results.length - 1]!.out;
    items.forEach((it, k) => {
      const o = last[k]!;
      if (it.violation && !flagged(o.verdict))
        console.log(`MISSED ${it.text}  want=${it.categories.join(",")}`);
      if (!it.violation && flagged(o.verdict))
        console.log(
          `FALSE-ALARM[${o.verdict}] ${it.text}  got=${o.violations.map((v) => `${v.rule}:${v.evidence}`).join(",")}`,
        );
    });
  }
}
