import { composeAnswer } from "../answer/compose.ts";
import {
  type CheckResult,
  ComplianceEngine,
  type ComplianceSettings,
  DEFAULT_SETTINGS,
} from "../compliance/engine.ts";
import { type GuardOptions, type GuardResult, guardText } from "../compliance/guard.ts";
import { LearnedLayer } from "../compliance/learned/layer.ts";
import { loadRules } from "../compliance/load-rules.ts";
import type { Rule } from "../compliance/rule-schema.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadEntries } from "../knowledge/load.ts";
import type { Entry } from "../knowledge/schema.ts";
import { entryToDoc, type Hit, Retriever, type SearchDoc } from "../retrieval/retriever.ts";
import { detectScript, type Script } from "../text/script.ts";

const GUARD_MEMO_ENTRIES = 5000;

export interface AskResult {
  question: string;
  script: Script;
  /** Telegram-HTML answer in the asker's script */
  html: string;
  hits: Hit[];
  confident: boolean;
  entryId: string | null;
  related: string[];
  verdict: "pass" | "warn" | "block";
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
  /** the learned second layer: loaded from <knowledgeDir>/compliance-model unless false */
  learned?: boolean;
}

/** The product core, independent of Telegram: knowledge, retrieval, answers and compliance. */
export class Coach {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly engine: ComplianceEngine;
  readonly retriever: Retriever;
  /** every indexed document (entries and ingested passages) by id */
  readonly docs: ReadonlyMap<string, SearchDoc>;
  private readonly guardMemo = new Map<string, GuardResult>();

  constructor(options: CoachOptions = {}) {
    const dir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
    const entries = options.entries ?? loadEntries(dir);
    this.entries = new Map(entries.map((e) => [e.id, e]));
    const rules = options.rules ?? loadRules(dir, options.extraRulesDirs ?? []);
    this.engine = new ComplianceEngine(
      rules,
      { ...DEFAULT_SETTINGS, ...options.settings },
      options.learned === false ? null : LearnedLayer.load(rules, dir),
    );
    const docs = [...entries.map(entryToDoc), ...(options.passages ?? [])];
    this.docs = new Map(docs.map((d) => [d.id, d]));
    this.retriever = new Retriever(docs, {
      ...(options.retrievalThreshold ? { threshold: options.retrievalThreshold } : {}),
    });
  }

  ask(question: string, k = 5): AskResult {
    const { hits, confident } = this.retriever.search(question, k);
    return this.answerFrom(question, hits, confident);
  }

  /** The offline answer composed from given hits (e.g. a hybrid ranking). */
  answerFrom(question: string, hits: Hit[], confident: boolean): AskResult {
    const script = detectScript(question);
    const guard = (t: string) => this.guard(t);
    const answer = composeAnswer({ hits, confident, entries: this.entries, script, guard });
    return {
      question,
      script,
      html: answer.html,
      hits,
      confident,
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
  guard(text: string, options: GuardOptions = {}): GuardResult {
    const key = `${options.allowWarn ? "w" : "-"}${options.learned ? "l" : "-"}${text}`;
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
