/**
 * Figures on the project's own labelled questions (tests/fixtures/questions): code-level and
 * entry-level hit@1 / hit@3, and how often a wrong answer is given confidently. The held-out set
 * is reported separately. Usage: npx tsx scripts/eval-questions.ts [--misses] (misses of the tuning set only)
 */
import { Coach } from "../src/core/coach.ts";
import { loadQuestionSet, scoreQuestions } from "../tests/question-set.ts";

const coach = new Coach();
const showMisses = process.argv.includes("--misses");
for (const name of ["tune", "holdout"] as const) {
  const items = loadQuestionSet(name);
  const s = scoreQuestions(coach, items);
  const pct = (x: number) => x.toFixed(3);
  console.log(
    `${name.padEnd(8)} n=${items.length} code hit@1=${pct(s.codeAt1)} hit@3=${pct(s.codeAt3)} · entry hit@1=${pct(s.entryAt1)} hit@3=${pct(s.entryAt3)} · confidently wrong=${pct(s.confidentlyWrong)} · unsure=${pct(s.unsure)}`,
  );
  if (showMisses && name === "tune")
    // the held-out misses stay unseen: nothing is tuned on them
    for (const r of s.rows.filter((r) => !r.entryAt1 || !r.codeAt1))
      console.log(
        `  ${r.codeAt1 ? "entry" : "CODE "} ${r.confident ? "conf" : "unsure"} ${r.q} → ${r.got.slice(0, 3).join(", ")} (want ${r.entry})`,
      );
}
