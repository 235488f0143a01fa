import AhoCorasick from "ahocorasick";
import type { ComplianceCategory } from "../knowledge/codes.ts";
import { CLAUSE_MARK, type Normalized, normalize, originalSpan, SENTENCE_MARK } from "../text/normalize.ts";
import { FALSE_NEGATORS, NEGATORS, POST_NEGATORS } from "./context-cues.ts";
import {
  type CallLimits,
  type ContactHours,
  type Finding,
  findCallCounts,
  findNightContact,
} from "./detectors.ts";
import type { Rule, Severity } from "./rule-schema.ts";
import { suggestRewrite } from "./suggest.ts";

export type Verdict = "pass" | "warn" | "block";

export interface Violation {
  rule: string;
  category: ComplianceCategory;
  severity: Severity;
  /** the matched words in the original text */
  evidence: string;
  /** UTF-16 span of the evidence in the original text */
  start: number;
  end: number;
  description: string;
  explanation: string;
  basis: string;
}

export interface CheckResult {
  text: string;
  verdict: Verdict;
  violations: Violation[];
  /** a compliant way to say it (in the text's script), or null when it passed */
  suggestion: string | null;
}

export interface ComplianceSettings {
  contactHours: ContactHours;
  callLimits: CallLimits;
}

export const DEFAULT_SETTINGS: ComplianceSettings = {
  contactHours: { blockFrom: 22, blockUntil: 8, warnFrom: 21 },
  callLimits: { connected: 3, attempts: 6 },
};

type Ref =
  | { kind: "any"; rule: number }
  | { kind: "combo"; rule: number; combo: number; group: number }
  | { kind: "unless"; rule: number }
  | { kind: "neg" }
  | { kind: "falseneg" }
  | { kind: "post" };

interface Hit {
  start: number;
  end: number;
  ref: Ref;
}

const compactForm = (s: string) =>
  normalize(s, { compact: true }).text.replaceAll(CLAUSE_MARK, "").replaceAll(SENTENCE_MARK, "");

/** Scope boundaries of compact text: for each index, the clause and the sentence it sits in. */
class Scopes {
  private readonly clauseStart: Int32Array;
  private readonly clauseEnd: Int32Array;
  private readonly sentStart: Int32Array;
  private readonly sentEnd: Int32Array;
  constructor(text: string) {
    const n = text.length;
    this.clauseStart = new Int32Array(n + 1);
    this.clauseEnd = new Int32Array(n + 1);
    this.sentStart = new Int32Array(n + 1);
    this.sentEnd = new Int32Array(n + 1);
    let cs = 0;
    let ss = 0;
    for (let i = 0; i <= n; i++) {
      this.clauseStart[i] = cs;
      this.sentStart[i] = ss;
      const c = text[i];
      if (c === CLAUSE_MARK || c === SENTENCE_MARK) cs = i + 1;
      if (c === SENTENCE_MARK) ss = i + 1;
    }
    let ce = n;
    let se = n;
    for (let i = n; i >= 0; i--) {
      const c = text[i];
      if (c === CLAUSE_MARK || c === SENTENCE_MARK) ce = i;
      if (c === SENTENCE_MARK) se = i;
      this.clauseEnd[i] = ce;
      this.sentEnd[i] = se;
    }
  }
  of(i: number, scope: "clause" | "sentence"): [number, number] {
    return scope === "clause"
      ? [this.clauseStart[i]!, this.clauseEnd[i]!]
      : [this.sentStart[i]!, this.sentEnd[i]!];
  }
}

const CONDITION_LINK = /就|的话|否则|不然|才|还敢/;
const SEVERITY_RANK: Record<Verdict, number> = { pass: 0, warn: 1, block: 2 };

/**
 * The compliance engine: compiled once from the rules, then `check(text)` in linear time
 * (one Aho–Corasick pass plus small bounded regexes for times and counts).
 */
export class ComplianceEngine {
  readonly rules: readonly Rule[];
  private readonly settings: ComplianceSettings;
  private readonly automaton: AhoCorasick;
  private readonly refs = new Map<string, Ref[]>();

  constructor(rules: Rule[], settings: Partial<ComplianceSettings> = {}) {
    this.rules = rules;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    const add = (phrase: string, ref: Ref) => {
      const key = compactForm(phrase);
      if (!key) return;
      const list = this.refs.get(key);
      if (list) list.push(ref);
      else this.refs.set(key, [ref]);
    };
    rules.forEach((r, rule) => {
      for (const p of r.any ?? []) add(p, { kind: "any", rule });
      r.combos?.forEach((groups, combo) => {
        groups.forEach((g, group) => {
          for (const p of g) add(p, { kind: "combo", rule, combo, group });
        });
      });
      for (const p of r.unless) add(p, { kind: "unless", rule });
    });
    for (const p of NEGATORS) add(p, { kind: "neg" });
    for (const p of FALSE_NEGATORS) add(p, { kind: "falseneg" });
    for (const p of POST_NEGATORS) add(p, { kind: "post" });
    this.automaton = new AhoCorasick([...this.refs.keys()]);
  }

  check(text: string): CheckResult {
    const { verdict, violations } = this.evaluate(text);
    return {
      text,
      verdict,
      violations,
      suggestion:
        verdict === "pass"
          ? null
          : suggestRewrite(text, violations, this.rules, (t) => this.evaluate(t).verdict),
    };
  }

  /** Verdict and violations only (no rewrite). */
  evaluate(text: string): { verdict: Verdict; violations: Violation[] } {
    const norm = normalize(text, { compact: true });
    const hits = this.findHits(norm.text);
    const scopes = new Scopes(norm.text);
    const violations: Violation[] = [];
    const negated = this.negationTester(hits, scopes);

    this.rules.forEach((rule, ruleIdx) => {
      const candidates: Finding[] = [];
      for (const h of hits) {
        if (h.ref.kind === "any" && h.ref.rule === ruleIdx)
          candidates.push({ start: h.start, end: h.end, severity: rule.severity });
      }
      if (rule.combos) candidates.push(...this.comboCandidates(rule, ruleIdx, hits, scopes));
      if (rule.detector) {
        const scopeOf = (i: number) => scopes.of(i, "sentence");
        const found =
          rule.detector === "night-contact"
            ? findNightContact(norm.text, scopeOf, this.settings.contactHours)
            : findCallCounts(norm.text, scopeOf, this.settings.callLimits);
        candidates.push(...found);
      }
      for (const c of candidates) {
        const [s, e] = scopes.of(c.start, rule.scope);
        if (
          rule.unless.length &&
          hits.some((h) => h.ref.kind === "unless" && h.ref.rule === ruleIdx && h.start >= s && h.end <= e)
        )
          continue;
        // times and counts: a prohibition anywhere in the sentence ("22:00 至 08:00 不得发送") negates them
        if (rule.negatable && negated(c, hits, rule.scope, norm.text, rule.detector !== undefined)) continue;
        violations.push(this.violation(rule, c, norm, text));
        break; // one violation per rule is enough evidence
      }
    });

    const verdict = violations.reduce<Verdict>(
      (v, x) => (SEVERITY_RANK[x.severity] > SEVERITY_RANK[v] ? x.severity : v),
      "pass",
    );
    return { verdict, violations };
  }

  private findHits(text: string): Hit[] {
    const hits: Hit[] = [];
    for (const [endIdx, keys] of this.automaton.search(text)) {
      for (const key of keys) {
        for (const ref of this.refs.get(key) ?? [])
          hits.push({ start: endIdx - key.length + 1, end: endIdx + 1, ref });
      }
    }
    return hits;
  }

  private comboCandidates(rule: Rule, ruleIdx: number, hits: Hit[], scopes: Scopes): Finding[] {
    const out: Finding[] = [];
    rule.combos!.forEach((groups, comboIdx) => {
      // group hits of this combo by the scope they sit in
      const byScope = new Map<number, Hit[][]>();
      for (const h of hits) {
        if (h.ref.kind !== "combo" || h.ref.rule !== ruleIdx || h.ref.combo !== comboIdx) continue;
        const [s] = scopes.of(h.start, rule.scope);
        let slots = byScope.get(s);
        if (!slots) {
          slots = groups.map(() => []);
          byScope.set(s, slots);
        }
        slots[h.ref.group]!.push(h);
      }
      for (const slots of byScope.values()) {
        if (slots.some((g) => g.length === 0)) continue;
        const chosen = slots.map((g) => g[0]!);
        out.push({
          start: Math.min(...chosen.map((h) => h.start)),
          end: Math.max(...chosen.map((h) => h.end)),
          severity: rule.severity,
        });
      }
    });
    return out;
  }

  /** Is a candidate negated: a negator before (or inside, between the cue words) in scope, or a post-negator after it? */
  private negationTester(hits: Hit[], scopes: Scopes) {
    const falseNeg = hits.filter((h) => h.ref.kind === "falseneg");
    const negs = hits.filter(
      (h) => h.ref.kind === "neg" && !falseNeg.some((f) => f.start <= h.start && f.end >= h.end),
    );
    const posts = hits.filter((h) => h.ref.kind === "post");
    return (
      c: Finding,
      all: Hit[],
      scope: "clause" | "sentence",
      text: string,
      wholeSentence = false,
    ): boolean => {
      const [s] = scopes.of(c.start, wholeSentence ? "sentence" : scope);
      const [, sentEnd] = scopes.of(c.start, "sentence");
      const ruleHits = all.filter(
        (h) => (h.ref.kind === "any" || h.ref.kind === "combo") && h.start >= c.start && h.end <= c.end,
      );
      const inCue = (n: Hit) => ruleHits.some((h) => n.start < h.end && n.end > h.start);
      // a negator inside a condition ("要是没有按时还，就…") does not negate the consequence
      const conditional = (n: Hit) => n.end <= c.start && CONDITION_LINK.test(text.slice(n.end, c.start));
      const until = wholeSentence ? sentEnd : c.end;
      if (negs.some((n) => n.start >= s && n.end <= until && !inCue(n) && !conditional(n))) return true;
      return posts.some((p) => p.start >= c.end && p.end <= sentEnd);
    };
  }

  private violation(rule: Rule, c: Finding, norm: Normalized, original: string): Violation {
    const [s, e] = originalSpan(norm, c.start, c.end, original);
    return {
      rule: rule.id,
      category: rule.category,
      severity: c.severity,
      evidence: original.slice(s, e),
      start: s,
      end: e,
      description: rule.description,
      explanation: rule.explanation,
      basis: rule.basis,
    };
  }
}
