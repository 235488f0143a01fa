import { type ActVerdict, judgeAct, parseCanI } from "../answer/can-i.ts";
import { composeAnswer } from "../answer/compose.ts";
import { composeVerdict } from "../answer/compose-verdict.ts";
import {
  type CheckResult,
  ComplianceEngine,
  type ComplianceSettings,
  DEFAULT_SETTINGS,
} from "../compliance/engine.ts";
import { type GuardResult, guardText } from "../compliance/guard.ts";
import { loadRules } from "../compliance/load-rules.ts";
import type { Rule } from "../compliance/rule-schema.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadEntries } from "../knowledge/load.ts";
import type { Entry } from "../knowledge/schema.ts";
import { type Confidence, entryToDoc, type Hit, Retriever, type SearchDoc } from "../retrieval/retriever.ts";
import { detectScript, type Script } from "../text/script.ts";

const GUARD_MEMO_ENTRIES = 5000;

export interface AskResult {
  question: string;
  script: Script;
  /** Telegram-HTML answer in the asker's script */
  html: string;
  hits: Hit[];
  confident: boolean;
  /** `unsure`: the answer says so and offers `choices` */
  confidence: Confidence;
  /** when unsure: entry ids offered as 「你是想问：…」 choices */
  choices: string[];
  entryId: string | null;
  related: string[];
  verdict: "pass" | "warn" | "block";
  /** for a "can I …?" question: the verdict on the proposed act */
  act?: ActVerdict;
}

export interface CoachOptions {
  knowledgeDir?: string;
  extraRulesDirs?: string[];
  settings?: Partial<ComplianceSettings>;
  /** ingested passages to index next to the curated entries */
  passages?: SearchDoc[];
  retrievalThreshold?: number;
  /** already-loaded parts (tests, benchmarks) */
  entries?: Entry[];
  rules?: Rule[];
}

/** The product core, independent of Telegram: knowledge, retrieval, answers and compliance. */
export class Coach {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly engine: ComplianceEngine;
  readonly retriever: Retriever;
  private readonly guardMemo = new Map<string, GuardResult>();

  constructor(options: CoachOptions = {}) {
    const dir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
    const entries = options.entries ?? loadEntries(dir);
    this.entries = new Map(entries.map((e) => [e.id, e]));
    this.engine = new ComplianceEngine(options.rules ?? loadRules(dir, options.extraRulesDirs ?? []), {
      ...DEFAULT_SETTINGS,
      ...options.settings,
    });
    this.retriever = new Retriever([...entries.map(entryToDoc), ...(options.passages ?? [])], {
      ...(options.retrievalThreshold ? { threshold: options.retrievalThreshold } : {}),
    });
  }

  ask(question: string, k = 5): AskResult {
    const script = detectScript(question);
    const { hits, confident, confidence } = this.retriever.search(question, k);
    const guard = (t: string) => this.guard(t);
    const canI = parseCanI(question);
    const act = canI ? judgeAct(canI.act, this.engine) : null;
    if (act) {
      const answer = composeVerdict({ verdict: act, entries: this.entries, script, guard });
      const lead = answer.entryId ? this.entries.get(answer.entryId) : undefined;
      const leadHit: Hit[] = lead
        ? [{ id: lead.id, kind: "entry", title: lead.title, codes: lead.codes, score: hits[0]?.score ?? 0 }]
        : [];
      return {
        question,
        script,
        html: answer.html,
        hits: [...leadHit, ...hits.filter((h) => h.id !== lead?.id)].slice(0, k),
        confident: true,
        confidence: "high",
        choices: [],
        entryId: answer.entryId,
        related: answer.related,
        verdict: guard(answer.html).verdict,
        act,
      };
    }
    const answer = composeAnswer({ hits, confident, confidence, entries: this.entries, script, guard });
    return {
      question,
      script,
      html: answer.html,
      hits,
      confident,
      confidence,
      choices: answer.choices ?? [],
      entryId: answer.entryId,
      related: answer.related,
      verdict: guard(answer.html).verdict,
    };
  }

  check(text: string): CheckResult {
    return this.engine.check(text);
  }

  /**
   * The gate for every outgoing text. The product sends the same texts again and again (answers,
   * quiz texts, rule explanations), so results are remembered; treat them as read-only.
   */
  guard(text: string, options: { allowWarn?: boolean } = {}): GuardResult {
    const key = `${options.allowWarn ? "w" : "-"}${text}`;
    const known = this.guardMemo.get(key);
    if (known) {
      this.guardMemo.delete(key); // most recently used goes last
      this.guardMemo.set(key, known);
      return known;
    }
    const result = guardText(this.engine, text, options);
    if (this.guardMemo.size >= GUARD_MEMO_ENTRIES) this.guardMemo.delete(this.guardMemo.keys().next().value!);
    this.guardMemo.set(key, result);
    return result;
  }
}
