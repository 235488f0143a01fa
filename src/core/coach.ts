import { type ActVerdict, judgeAct, parseCanI } from "../answer/can-i.ts";
import { composeAnswer } from "../answer/compose.ts";
import { composePassage } from "../answer/compose-passage.ts";
import { composeVerdict } from "../answer/compose-verdict.ts";
import { documentTitles } from "../answer/documents.ts";
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
import { contentBigrams, headingMatch } from "../retrieval/headings.ts";
import { PassageIndex, passageHit } from "../retrieval/passages.ts";
import { type Confidence, entryToDoc, type Hit, Retriever, type SearchDoc } from "../retrieval/retriever.ts";
import { detectScript, type Script } from "../text/script.ts";

const GUARD_MEMO_ENTRIES = 5000;
/** a passage's heading must say at least this much of the question (F1 of content bigrams) */
export const PASSAGE_MATCH = 0.6;
/** … and say it better than the best entry's title or trigger by this much */
export const PASSAGE_MARGIN = 0.1;

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
  /** when the answer comes from an ingested passage: its id */
  passageId?: string;
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
  /** the curated entries only: ingesting a folder never changes how they rank */
  readonly retriever: Retriever;
  /** ingested passages, found through their headings */
  readonly passages: PassageIndex;
  /** every document (entries and ingested passages) by id: the LLM mode's sources and embeddings */
  readonly docs: ReadonlyMap<string, SearchDoc>;
  /** readable names of source documents, by file */
  readonly titles: ReadonlyMap<string, string>;
  /** for each entry, its title and triggers as heading bigrams (to weigh a passage against) */
  private readonly entryHeadings: Map<string, Set<string>[]>;
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
    const entryDocs = entries.map(entryToDoc);
    this.retriever = new Retriever(entryDocs, {
      ...(options.retrievalThreshold ? { threshold: options.retrievalThreshold } : {}),
    });
    const passages = options.passages ?? [];
    this.docs = new Map([...entryDocs, ...passages].map((d) => [d.id, d]));
    this.passages = new PassageIndex(passages);
    this.titles = documentTitles(
      // a document without a title of its own is named after its file: keep the readable default then
      passages.flatMap((p) =>
        p.file && p.docTitle && !p.file.startsWith(p.docTitle)
          ? [[p.file, p.docTitle] as [string, string]]
          : [],
      ),
    );
    this.entryHeadings = new Map(
      entries.map((e) => [e.id, [e.title, ...e.triggers].map(contentBigrams)] as [string, Set<string>[]]),
    );
  }

  ask(question: string, k = 5): AskResult {
    const { hits, confident, confidence } = this.retriever.search(question, k);
    return this.answerFrom(question, hits, confident, confidence, k);
  }

  /** The offline answer over given hits (the lexical ranking, or a hybrid one in LLM mode). */
  answerFrom(
    question: string,
    hits: Hit[],
    confident: boolean,
    confidence: Confidence = confident ? "high" : "none",
    k = 5,
  ): AskResult {
    const script = detectScript(question);
    const guard = (t: string) => this.guard(t);
    const canI = parseCanI(question);
    const act = canI ? judgeAct(canI.act, this.engine) : null;
    if (act) {
      const answer = composeVerdict({
        verdict: act,
        entries: this.entries,
        script,
        guard,
        titles: this.titles,
      });
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
    const fromPassage = this.passageAnswer(question, hits, confidence);
    if (fromPassage) return { question, script, ...fromPassage, verdict: guard(fromPassage.html).verdict };
    const answer = composeAnswer({
      hits,
      confident,
      confidence,
      entries: this.entries,
      script,
      guard,
      titles: this.titles,
    });
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

  /**
   * An ingested passage answers when its heading says the question (heading match ≥ PASSAGE_MATCH)
   * better than any curated entry's title or trigger does; an outline (a list of sub-headings) only
   * when no entry answers confidently. Otherwise the answer is the entries' alone, exactly as
   * without the folder.
   */
  private passageAnswer(
    question: string,
    hits: Hit[],
    confidence: Confidence,
  ): Omit<AskResult, "question" | "script" | "verdict"> | null {
    const best = this.passages.best(question, PASSAGE_MATCH);
    if (!best) return null;
    if (best.outline && confidence === "high") return null;
    const q = contentBigrams(question);
    const entryBest = Math.max(
      0,
      ...hits.slice(0, 3).flatMap((h) => (this.entryHeadings.get(h.id) ?? []).map((b) => headingMatch(q, b))),
    );
    if (best.match <= entryBest + PASSAGE_MARGIN) return null;
    // entries on the passage's own topics first, then what the question matched among the entries
    const related = [
      ...new Set([
        ...[...this.entries.values()]
          .filter((e) => e.codes.some((c) => best.doc.codes.includes(c)))
          .slice(0, 2)
          .map((e) => e.id),
        ...(confidence === "none" ? [] : hits.filter((h) => h.kind === "entry").map((h) => h.id)),
      ]),
    ];
    const answer = composePassage({
      passage: best.doc,
      continuation: best.continuation,
      related,
      entries: this.entries,
      script: detectScript(question),
      guard: (t) => this.guard(t),
      titles: this.titles,
    });
    const top = passageHit(best.doc, Math.round(best.match * 1000) / 10 + (hits[0]?.score ?? 0));
    return {
      html: answer.html,
      hits: [top, ...hits],
      confident: true,
      confidence: "high",
      choices: [],
      entryId: null,
      related: answer.related,
      passageId: best.doc.id,
    };
  }

  /**
   * Scenario codes a text is about (for tagging passages): those of the curated entry it matches
   * best, unless nothing matches reliably. A tag only labels the passage; entries rank without it.
   */
  tagCodes(text: string): string[] {
    const { hits, confidence } = this.retriever.search(text.slice(0, 300), 1);
    return confidence !== "none" && hits[0] ? hits[0].codes : [];
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
