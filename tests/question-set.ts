import type { Coach } from "../src/core/coach.ts";
import { readYamlFixture } from "./helpers.ts";

export interface LabelledQuestion {
  q: string;
  codes: string[];
  entry: string;
}

export function loadQuestionSet(name: "tune" | "holdout"): LabelledQuestion[] {
  return readYamlFixture<LabelledQuestion[]>(`questions/${name}.yaml`);
}

export interface QuestionScore {
  codeAt1: number;
  codeAt3: number;
  entryAt1: number;
  entryAt3: number;
  /** answered as confident with the wrong topic on top */
  confidentlyWrong: number;
  /** share of questions answered "not sure, did you mean …" */
  unsure: number;
  rows: Array<
    LabelledQuestion & {
      codeAt1: boolean;
      codeAt3: boolean;
      entryAt1: boolean;
      confident: boolean;
      got: string[];
    }
  >;
}

/** Score the coach's answers on a labelled set, as a collector would see them. */
export function scoreQuestions(coach: Coach, items: LabelledQuestion[]): QuestionScore {
  const rows = items.map((it) => {
    const r = coach.ask(it.q);
    const top3 = r.hits.slice(0, 3);
    const codeHit = (h: { codes: string[] }) => h.codes.some((c) => it.codes.includes(c));
    return {
      ...it,
      codeAt1: top3[0] ? codeHit(top3[0]) : false,
      codeAt3: top3.some(codeHit),
      entryAt1: top3[0]?.id === it.entry,
      entryAt3: top3.some((h) => h.id === it.entry),
      confident: r.confident,
      got: r.hits.map((h) => h.id),
    };
  });
  const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
  return {
    codeAt1: share((r) => r.codeAt1),
    codeAt3: share((r) => r.codeAt3),
    entryAt1: share((r) => r.entryAt1),
    entryAt3: share((r) => r.entryAt3),
    confidentlyWrong: share((r) => r.confident && !r.codeAt1),
    unsure: share((r) => !r.confident),
    rows,
  };
}
