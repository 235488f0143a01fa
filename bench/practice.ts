import { Coach } from "../src/core/coach.ts";
import { loadScenarios } from "../src/practice/load.ts";
import { PracticeCoach } from "../src/practice/practice.ts";
import { ms, percentile } from "./stats.ts";

const REPLIES = [
  "我理解您现在的难处，您现在每个月大概有多少收入？",
  "一次还清确实有困难，我可以帮您申请分期，先还一部分，您看可以吗？",
  "那我们定下来：这个月25号先还500元，可以吗？",
  "少废话，今天必须还",
];

/** Practice: loading the 51 scenarios, and one collector reply (compliance check + grading + debtor line). */
export async function runPracticeBench(): Promise<void> {
  const coach = new Coach();
  const t0 = performance.now();
  const bank = loadScenarios([...coach.entries.values()]);
  const load = performance.now() - t0;
  const practice = new PracticeCoach({ bank, entries: coach.entries, engine: coach });
  const now = new Date();
  const times: number[] = [];
  for (let round = 0; round < 40; round++) {
    for (const scenario of bank.scenarios) {
      let { state } = practice.start(scenario, now);
      for (const [i, reply] of REPLIES.entries()) {
        const text = `${reply}${round}`; // new text each time: no memo helps
        const t = performance.now();
        const step = await practice.reply(state, text, now);
        if (round > 0 || i > 0) times.push(performance.now() - t);
        if (step.scorecard) break;
        state = step.state;
      }
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `practice: ${bank.scenarios.length} scenarios loaded in ${ms(load)}; reply (check + grade + debtor line) p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} over ${times.length} replies`,
  );
}
