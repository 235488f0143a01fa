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
import { PhraseMatcher } from "./phrase-matcher.ts";
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

interface Candidate extends Finding {
  /** the cue hits the candidate is made of (empty for detector findings) */
  parts: Hit[];
}

interface Hit {
  start: number;
  end: number;
  ref: Ref;
}

const compactForm = (s: string) =>
  normalize(s, { compact: true }).text.replaceAll(CLAUSE_MARK, "").replaceAll(SENTENCE_MARK, "");

/** Scope boundaries of compact text: for each index, the clause and the sentence it sits in. */
class Scopes {
  /** positions of every clause or sentence mark, and of sentence marks only, ascending */
  private readonly clauseMarks: number[] = [];
  private readonly sentenceMarks: number[] = [];
  private readonly length: number;
  constructor(text: string) {
    this.length = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === CLAUSE_MARK || c === SENTENCE_MARK) this.clauseMarks.push(i);
      if (c === SENTENCE_MARK) this.sentenceMarks.push(i);
    }
  }
  /** [start, end) of the clause or sentence around position i (a mark ends its own scope) */
  of(i: number, scope: "clause" | "sentence"): [number, number] {
    const marks = scope === "clause" ? this.clauseMarks : this.sentenceMarks;
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return [lo > 0 ? marks[lo - 1]! + 1 : 0, lo < marks.length ? marks[lo]! : this.length];
  }
}

const CONSEQUENCE_NEXT = /^[^|#]{0,2}\|[^|#]{0,3}(就|否则|不然)/;
const LATIN_OR_DIGIT = /[a-z0-9]/;
const SHORT_NEGATORS = new Set(["不", "没", "未"]);
const CONDITION_LINK = /就|的话|否则|不然|才|还敢/;
const SEVERITY_RANK: Record<Verdict, number> = { pass: 0, warn: 1, block: 2 };

/**
 * The compliance engine: compiled once from the rules, then `check(text)` in linear time
 * (one Aho–Corasick pass plus small bounded regexes for times and counts).
 */
export class ComplianceEngine {
  readonly rules: readonly Rule[];
  private readonly settings: ComplianceSettings;
  private readonly matcher: PhraseMatcher;
  /** for each phrase id of the matcher, what the phrase means */
  private readonly phraseRefs: Ref[][];
  /** phrases of Latin letters and digits ("sb", "110") match whole words only, not inside "xsbk" */
  private readonly latinWord: boolean[];

  constructor(rules: Rule[], settings: Partial<ComplianceSettings> = {}) {
    this.rules = rules;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    const refs = new Map<string, Ref[]>();
    const add = (phrase: string, ref: Ref) => {
      const key = compactForm(phrase);
      if (!key) return;
      const list = refs.get(key);
      if (list) list.push(ref);
      else refs.set(key, [ref]);
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
    this.matcher = new PhraseMatcher([...refs.keys()]);
    this.phraseRefs = [...refs.values()];
    this.latinWord = [...refs.keys()].map((k) => /^[a-z0-9]+$/.test(k));
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
    let context: NegationContext | undefined; // built on the first candidate only

    const byRule = new Map<number, Hit[]>();
    for (const h of hits) {
      if (h.ref.kind !== "any" && h.ref.kind !== "combo" && h.ref.kind !== "unless") continue;
      const list = byRule.get(h.ref.rule);
      if (list) list.push(h);
      else byRule.set(h.ref.rule, [h]);
    }
    const violations: Violation[] = [];

    this.rules.forEach((rule, ruleIdx) => {
      const ruleHits = byRule.get(ruleIdx) ?? [];
      if (!ruleHits.length && !rule.detector) return;
      const unless = ruleHits.filter((h) => h.ref.kind === "unless").sort((a, b) => a.start - b.start);
      const candidates: Candidate[] = [];
      for (const h of ruleHits) {
        if (h.ref.kind === "any")
          candidates.push({ start: h.start, end: h.end, severity: rule.severity, parts: [h] });
      }
      if (rule.combos) candidates.push(...comboCandidates(rule, ruleHits, scopes));
      if (rule.detector) {
        const scopeOf = (i: number) => scopes.of(i, "sentence");
        const found =
          rule.detector === "night-contact"
            ? findNightContact(norm.text, scopeOf, this.settings.contactHours)
            : findCallCounts(norm.text, scopeOf, this.settings.callLimits);
        candidates.push(...found.map((f) => ({ ...f, parts: [] })));
      }
      candidates.sort((a, b) => a.start - b.start);
      for (const c of candidates) {
        const [s, e] = scopes.of(c.start, rule.scope);
        if (containsHit(unless, s, e)) continue;
        // times and counts: a prohibition in the sentence before or within the finding negates them
        context ??= new NegationContext(hits, scopes, norm.text);
        if (rule.negatable && context.negates(c, rule.scope, rule.detector !== undefined)) continue;
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
    this.matcher.forEach(text, (id, start, end) => {
      if (
        this.latinWord[id] &&
        (LATIN_OR_DIGIT.test(text[start - 1] ?? "") || LATIN_OR_DIGIT.test(text[end] ?? ""))
      )
        return;
      for (const ref of this.phraseRefs[id]!) hits.push({ start, end, ref });
    });
    return hits;
  }

  private violation(rule: Rule, c: Candidate, norm: Normalized, original: string): Violation {
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

/** Cue combinations: one phrase of every group inside one scope, taking the first hit of each group. */
function comboCandidates(rule: Rule, ruleHits: Hit[], scopes: Scopes): Candidate[] {
  const out: Candidate[] = [];
  rule.combos!.forEach((groups, comboIdx) => {
    const byScope = new Map<number, Hit[][]>();
    for (const h of ruleHits) {
      if (h.ref.kind !== "combo" || h.ref.combo !== comboIdx) continue;
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
      const parts = closestParts(slots, rule.window);
      if (!parts) continue;
      out.push({
        start: Math.min(...parts.map((h) => h.start)),
        end: Math.max(...parts.map((h) => h.end)),
        severity: rule.severity,
        parts,
      });
    }
  });
  return out;
}

/**
 * One hit per group, all within `window` characters: anchored on each hit of the first group, take the
 * nearest hit of every other group that does not overlap a part already taken (the same characters
 * cannot be both the act and the target: 「联系人」 is not 「联系」+「联系人」). Null when no anchor
 * has all groups close enough.
 */
function closestParts(slots: Hit[][], window: number): Hit[] | null {
  for (const anchor of slots[0]!.slice(0, 16)) {
    const parts = [anchor];
    for (const group of slots.slice(1)) {
      let best: Hit | undefined;
      let bestDist = Number.POSITIVE_INFINITY;
      for (const h of group) {
        const d = Math.abs(h.start - anchor.start);
        if (parts.some((p) => h.start < p.end && h.end > p.start)) continue;
        if (d < bestDist) {
          best = h;
          bestDist = d;
        }
        if (h.start > anchor.start + window) break;
      }
      if (!best) break;
      parts.push(best);
    }
    if (parts.length !== slots.length) continue;
    const start = Math.min(...parts.map((h) => h.start));
    const end = Math.max(...parts.map((h) => h.end));
    if (end - start <= window) return parts;
  }
  return null;
}

/** How far before a cue a negator may stand, and how far after it a post-negator ("…是违法的"). */
const NEG_WINDOW_BEFORE = 24;
const NEG_WINDOW_AFTER = 40;

/**
 * Negation and prohibition context of one text. Negators and post-negators are sorted once; each
 * question looks only inside a bounded window, so checking stays linear on adversarial input.
 */
class NegationContext {
  private readonly negs: Hit[];
  private readonly posts: Hit[];
  constructor(
    hits: Hit[],
    private readonly scopes: Scopes,
    private readonly text: string,
  ) {
    const falseNeg = hits.filter((h) => h.ref.kind === "falseneg").sort((a, b) => a.start - b.start);
    // sweep: a negator covered by a false negator ("不要以为", "要不要") does not count
    const covered = (h: Hit): boolean => {
      let lo = 0;
      let hi = falseNeg.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (falseNeg[mid]!.start <= h.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) if (falseNeg[i]!.end >= h.end) return true;
      return false;
    };
    this.negs = hits.filter((h) => h.ref.kind === "neg" && !covered(h)).sort((a, b) => a.start - b.start);
    this.posts = hits.filter((h) => h.ref.kind === "post").sort((a, b) => a.start - b.start);
  }

  negates(c: Candidate, scope: "clause" | "sentence", wholeSentence: boolean): boolean {
    const [scopeStart] = this.scopes.of(c.start, wholeSentence ? "sentence" : scope);
    const [, sentEnd] = this.scopes.of(c.start, "sentence");
    const from = Math.max(scopeStart, c.start - NEG_WINDOW_BEFORE);
    // a detector's finding spans the time (or count) and its act, so a prohibition inside it counts;
    // one after it ("…再打给你，你别关机") is about something else
    const until = c.end;
    // a negator that is part of a cue ("不要脸", "别说我们是") is not a negation
    const inCue = (n: Hit) => c.parts.some((h) => n.start >= h.start && n.end <= h.end);
    // a negator inside a condition ("要是没有按时还，就…") does not negate the consequence
    const conditional = (n: Hit) => n.end <= c.start && CONDITION_LINK.test(this.text.slice(n.end, c.start));
    for (let i = firstAtOrAfter(this.negs, from); i < this.negs.length; i++) {
      const n = this.negs[i]!;
      if (n.start >= until) break;
      if (n.end > until || inCue(n) || conditional(n)) continue;
      if (n.end - n.start === 1 && SHORT_NEGATORS.has(this.text[n.start]!)) {
        // a bare 不/没/未 negates only the cue right after it ("不连续轰炸", "不透露")
        const gap = Math.min(...c.parts.filter((h) => h.start >= n.end).map((h) => h.start - n.end));
        if (!(gap <= 3)) continue;
        // "不帮他还，这事就没完": a negated condition followed by its consequence
        if (CONSEQUENCE_NEXT.test(this.text.slice(c.end, c.end + 8))) continue;
      }
      return true;
    }
    const postUntil = Math.min(sentEnd, c.end + NEG_WINDOW_AFTER);
    const p = this.posts[firstAtOrAfter(this.posts, c.end)];
    return p !== undefined && p.end <= postUntil;
  }
}

/** Does a hit lie wholly inside [from, to)? `sorted` is ordered by start. */
function containsHit(sorted: Hit[], from: number, to: number): boolean {
  for (let i = firstAtOrAfter(sorted, from); i < sorted.length && sorted[i]!.start < to; i++) {
    if (sorted[i]!.end <= to) return true;
  }
  return false;
}

function firstAtOrAfter(sorted: Hit[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
