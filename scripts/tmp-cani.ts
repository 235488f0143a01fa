import { parseCanI, judgeAct } from "../src/answer/can-i.ts";
import { Coach } from "../src/core/coach.ts";
const c = new Coach();
for (const q of process.argv.slice(2)) {
  const p = parseCanI(q);
  const v = p ? judgeAct(p.act, c.engine) : null;
  console.log(q, "→", p?.act, v?.kind, v?.kind === "unlawful" ? v.violations.map((x) => x.rule).join(",") + " instead " + v.instead : v?.kind === "conditional" ? v.lawful.name : "");
}
