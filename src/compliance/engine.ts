import type { ComplianceCategory } from "../knowledge/codes.ts";
import { CLAUSE_MARK, type Normalized, normalize, originalSpan, SENTENCE_MARK } from "../text/normalize.ts";
import {
  FALSE_NEGATORS,
  LAW_MODALS,
  LAW_SUBJECTS,
  LIST_HEADINGS,
  MENTION_MARKERS,
  NEGATORS,
  POST_NEGATORS,
  REPORT_OUTCOMES,
  REPORT_SUBJECTS,
} from "./context-cues.ts";
import {
  type CallLimits,
  type ContactHours,
  type Finding,
  findCallCounts,
  findNightContact,
} from "./detectors.ts";
import { PhraseMatcher } from "./phrase-matcher.ts";
import type { Rule, Severity } from "./rule-schema.ts";
import { Scopes } from "./scopes.ts";
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
  /** the learned layer's probability, for its findings only */
  confidence?: number;
  /** the learned layer's nearest corpus example of the category, for its findings only */
  example?: string;
}

/** A second reader after the rules (the learned layer): may add a finding, never clears one. */
export interface SecondOpinion {
  judge(text: string): Violation | null;
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
  | { kind: "post" }
  | { kind: "ctx"; tag: ContextTag };

type ContextTag = "subject" | "outcome" | "law" | "modal" | "mention" | "heading";

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

const CONSEQUENCE_NEXT = /^[^|#]{0,2}\|[^|#]{0,3}(就|否则|不然)/;
const LATIN_OR_DIGIT = /[a-z0-9]/;
const SHORT_NEGATORS = new Set(["不", "没", "未"]);
const CONDITION_LINK = /就|的话|否则|不然|才|还敢/;
/** after a bare 不/没 only: 「不配合将冻结…」「不还会被…」 */
const SHORT_CONDITION_LINK = /将|会/;
/**
 * after a bare 不/没 only: the negator belongs to a repayment or cooperation verb right after it, so
 * it negates the condition, not the threat that follows: 「不配合天天打」「没结清天天找你」, also after a
 * word of haste: 「不快还钱天天打」「不按时还天天打你」
 */
const CONDITION_VERB =
  /^(?:(?:快点?|早点?|赶紧|赶快|马上|按时|及时|准时|尽快)还|(?:还钱|还款|还清|结清|配合|处理|给钱|交钱|付款|接电话|回电话?|回复|出面|露面))/;
/** how serious a verdict is, for taking the worse of two */
export const SEVERITY_RANK: Record<Verdict, number> = { pass: 0, warn: 1, block: 2 };

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
  private readonly shortNonWord: boolean[];

  /** asked only when the rules pass */
  private readonly second: SecondOpinion | null;

  constructor(
    rules: Rule[],
    settings: Partial<ComplianceSettings> = {},
    second: SecondOpinion | null = null,
  ) {
    this.rules = rules;
    this.second = second;
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
    const tags: Array<[ContextTag, readonly string[]]> = [
      ["subject", REPORT_SUBJECTS],
      ["outcome", REPORT_OUTCOMES],
      ["law", LAW_SUBJECTS],
      ["modal", LAW_MODALS],
      ["mention", MENTION_MARKERS],
      ["heading", LIST_HEADINGS],
    ];
    for (const [tag, list] of tags) for (const p of list) add(p, { kind: "ctx", tag });
    this.matcher = new PhraseMatcher([...refs.keys()]);
    this.phraseRefs = [...refs.values()];
    this.latinWord = [...refs.keys()].map((k) => /^[a-z0-9]+$/.test(k));
    // two-character phrases that begin with a character that is often a particle or auxiliary (得按,
    // 着火) are read in word context: 「记得按时」 does not hold 「得按」, 「跟着火车站」 not 「着火」. Hedges
    // too: a company's 「了解」 does not excuse 「上门为了解决」
    this.shortNonWord = [...refs.keys()].map((k) => k.length === 2 && SHORT_CUE_HEADS.includes(k[0]!));
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

  /**
   * Verdict and violations only (no rewrite). `second: false` reads with the rules alone (the bot's own
   * reviewed texts, see guardText).
   */
  evaluate(text: string, options: { second?: boolean } = {}): { verdict: Verdict; violations: Violation[] } {
    const norm = normalize(text, { compact: true });
    const scopes = new Scopes(norm.text);
    const hits = this.findHits(norm.text, scopes);
    let context: NegationContext | undefined; // built on the first candidate only
    let reading: SentenceReading | undefined;

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
        const found =
          rule.detector === "night-contact"
            ? findNightContact(norm.text, scopes, this.settings.contactHours)
            : findCallCounts(norm.text, scopes, this.settings.callLimits);
        candidates.push(...found.map((f) => ({ ...f, parts: [] })));
      }
      candidates.sort((a, b) => a.start - b.start);
      for (const c of candidates) {
        const [s, e] = scopes.of(c.start, rule.scope);
        if (containsHit(unless, s, e)) continue;
        reading ??= new SentenceReading(hits, scopes, norm, text);
        if (rule.negatable && reading.descriptive(c)) continue;
        // times and counts: a prohibition in the sentence before or within the finding negates them
        context ??= new NegationContext(hits, scopes, norm.text);
        if (rule.negatable && context.negates(c, rule.scope, rule.detector !== undefined)) continue;
        violations.push(this.violation(rule, c, norm, text));
        break; // one violation per rule is enough evidence
      }
    });

    if (!violations.length && this.second && options.second !== false) {
      const finding = this.second.judge(text);
      if (finding) violations.push(finding);
    }
    const verdict = violations.reduce<Verdict>(
      (v, x) => (SEVERITY_RANK[x.severity] > SEVERITY_RANK[v] ? x.severity : v),
      "pass",
    );
    return { verdict, violations };
  }

  private findHits(text: string, scopes: Scopes): Hit[] {
    const hits: Hit[] = [];
    const words = new WordBoundaries(text, scopes);
    this.matcher.forEach(text, (id, start, end) => {
      if (
        this.latinWord[id] &&
        (LATIN_OR_DIGIT.test(text[start - 1] ?? "") || LATIN_OR_DIGIT.test(text[end] ?? ""))
      )
        return;
      // a short rule cue counts only as whole words: 「得按」 is not in 「记得按时」
      if (this.shortNonWord[id] && !words.aligned(start, end)) return;
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

const WORDS = new Intl.Segmenter("zh", { granularity: "word" });
const SHORT_CUE_HEADS = "得的了着过地";

/** Word boundaries of compact text: a clause is segmented the first time a place in it is asked about. */
class WordBoundaries {
  private readonly starts = new Set<number>();
  private readonly segmented = new Set<number>();
  constructor(
    private readonly text: string,
    private readonly scopes: Scopes,
  ) {}

  /**
   * False for a cue that straddles words: it starts inside one word and runs on into the next
   * (「得按」 in 记得|按时). The tail of a compound (法院 in 人民法院) and a verb before its suffix (砸 in
   * 砸了) are aligned.
   */
  aligned(start: number, end: number): boolean {
    if (this.boundary(start)) return true;
    for (let i = start + 1; i < end; i++) if (this.boundary(i)) return false;
    return true;
  }

  /** a word starts at i (a clause's first character always starts one) */
  private boundary(i: number): boolean {
    const [a, b] = this.scopes.of(i, "clause");
    if (!this.segmented.has(a)) {
      this.segmented.add(a);
      for (const { index } of WORDS.segment(this.text.slice(a, b))) this.starts.add(a + index);
    }
    return this.starts.has(i);
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
      for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
        const f = falseNeg[i]!;
        if (f.end >= h.end) return true;
        // 「不要以为不会坐牢」「别以为我们不敢上门」: what 「以为」 denies is a negation denied, the act stands
        if (
          f.end <= h.start &&
          deniesBelief(f) &&
          !/[|#]/.test(text.slice(f.end, h.start)) &&
          h.start - f.end <= 4
        )
          return true;
      }
      return false;
    };
    const deniesBelief = (f: Hit) => text.slice(f.start, f.end).endsWith("以为");
    // 「信不信」「敢不敢」「想不想」: an A-not-A question asks, it does not negate
    const aNotA = (h: Hit) =>
      (text[h.start] === "不" || text[h.start] === "没") &&
      h.start > 0 &&
      text[h.start - 1] === text[h.start + 1];
    this.negs = hits
      .filter((h) => h.ref.kind === "neg" && !covered(h) && !aNotA(h))
      .sort((a, b) => a.start - b.start);
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
    const conditional = (n: Hit) => {
      if (n.end > c.start) return false;
      const between = this.text.slice(n.end, c.start);
      return (
        CONDITION_LINK.test(between) ||
        (n.end - n.start === 1 &&
          SHORT_NEGATORS.has(this.text[n.start]!) &&
          SHORT_CONDITION_LINK.test(between))
      );
    };
    for (let i = firstAtOrAfter(this.negs, from); i < this.negs.length; i++) {
      const n = this.negs[i]!;
      if (n.start >= until) break;
      if (n.end > until || inCue(n) || conditional(n)) continue;
      if (n.end - n.start === 1 && SHORT_NEGATORS.has(this.text[n.start]!)) {
        // a bare 不/没/未 negates only the cue right after it ("不连续轰炸", "不透露")
        const next = Math.min(...c.parts.filter((h) => h.start >= n.end).map((h) => h.start));
        if (!(next - n.end <= 3)) continue;
        if (next > n.end && CONDITION_VERB.test(this.text.slice(n.end, next))) continue;
        // 「一小时不处理，家里人得替你扛」: a negated condition in its own clause leaves the threat standing
        if (/[|#]/.test(this.text.slice(n.end, next))) continue;
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

const OUTLINE_HEADING_MAX = 16;
/** words of a plan step rather than a topic: a condition, a time to act, someone sent, someone taken */
const PLAN_STEP = /就|的话|否则|不然|马上|立刻|立即|今天|明天|今晚|派人|把他|把她|把你/;
/** somebody addressed: a description of the law says 「被执行人」, a threat says 「你」 */
const SECOND_PERSON = /[你您]/;
const OUTLINE_NUMBER =
  /^\s*(?:第?[0-9一二三四五六七八九十]+[、.．)）章节条]|[(（][0-9一二三四五六七八九十]+[)）])/;
/**
 * Headings that make the lines under them examples of what is forbidden although they hold no negator.
 * A heading with one in it (禁止使用, 禁止行为, 反面示例, 错误示范) needs no entry: a heading and a
 * negator in the sentence already read it so (`describes`).
 */
const STRONG_HEADINGS = new Set(["违规示例", "质检项", "扣分项"]);
/** an instruction to say something to someone: 「跟他说」「告诉客户」「你就说」 */
const SAY_TO_SOMEONE =
  /[跟对和给向](?:他|她|你|您|客户|债务人|家属|家人)们?(?:说|讲)|告诉(?:他|她|你|您|客户)|就(?:说|讲)/;
const OPEN_QUOTES = new Set(["“", "「", "『", "《", "‘", "〈"]);
const CLOSE_QUOTES = new Set(["”", "」", "』", "》", "’", "〉"]);

/**
 * Sentences that describe rather than say: a reported case (a collector-side subject and an outcome),
 * what a court may do (the court or the law as subject, a modal, nobody addressed), a list of forbidden
 * acts under a prohibition heading, or a quoted word with a marker that makes it a mention.
 */
class SentenceReading {
  private readonly ctx: Hit[];
  private readonly negs: Hit[];
  private readonly memo = new Map<number, boolean>();
  private quoted: Uint8Array | undefined;
  constructor(
    hits: Hit[],
    private readonly scopes: Scopes,
    private readonly norm: Normalized,
    private readonly original: string,
  ) {
    this.ctx = hits.filter((h) => h.ref.kind === "ctx").sort((a, b) => a.start - b.start);
    this.negs = hits.filter((h) => h.ref.kind === "neg").sort((a, b) => a.start - b.start);
  }

  descriptive(c: Candidate): boolean {
    const [s, e] = this.scopes.of(c.start, "sentence");
    let known = this.memo.get(s);
    if (known === undefined) {
      known = this.describes(s, e);
      this.memo.set(s, known);
    }
    return known || this.quotedMention(c, s, e);
  }

  private tagsIn(s: number, e: number): Map<ContextTag, Hit[]> {
    const tags = new Map<ContextTag, Hit[]>();
    for (let i = firstAtOrAfter(this.ctx, s); i < this.ctx.length && this.ctx[i]!.start < e; i++) {
      const h = this.ctx[i]!;
      const tag = (h.ref as { tag: ContextTag }).tag;
      const list = tags.get(tag);
      if (list) list.push(h);
      else tags.set(tag, [h]);
    }
    return tags;
  }

  private describes(s: number, e: number): boolean {
    const tags = this.tagsIn(s, e);
    const addressed = SECOND_PERSON.test(this.norm.text.slice(s, e));
    if (this.outlineHeading(s, e) && !addressed) return true;
    if (tags.has("subject") && tags.has("outcome")) return true;
    if (tags.has("law") && tags.has("modal") && !addressed) return true;
    const headings = tags.get("heading") ?? [];
    if (headings.some((h) => STRONG_HEADINGS.has(this.norm.text.slice(h.start, h.end)))) return true;
    const firstNeg = this.negs[firstAtOrAfter(this.negs, s)];
    const negated = firstNeg !== undefined && firstNeg.start < e;
    return headings.length > 0 && negated;
  }

  /** a short numbered line of an outline (「2、拘留」「四、强制措施」) names a topic, it says nothing to anyone */
  private outlineHeading(s: number, e: number): boolean {
    if (e - s > OUTLINE_HEADING_MAX) return false;
    // a step of a plan (「2、不接就上门」「3、明天派人上门」) says what to do, it names no topic
    if (PLAN_STEP.test(this.norm.text.slice(s, e))) return false;
    const from = this.norm.map[s] ?? 0;
    const lineStart = this.original.lastIndexOf("\n", from - 1) + 1;
    return (
      /^[\s(（第]*$/.test(this.original.slice(lineStart, from)) &&
      OUTLINE_NUMBER.test(this.original.slice(lineStart, from + 6))
    );
  }

  /** the candidate sits inside quotation marks and a mention marker stands outside them in the sentence */
  private quotedMention(c: Candidate, s: number, e: number): boolean {
    if (!this.quoted) {
      this.quoted = new Uint8Array(this.original.length);
      let depth = 0;
      for (let i = 0; i < this.original.length; i++) {
        const ch = this.original[i]!;
        if (CLOSE_QUOTES.has(ch)) depth = Math.max(0, depth - 1);
        else if (ch === '"') depth = depth > 0 ? depth - 1 : 1;
        this.quoted[i] = depth > 0 ? 1 : 0;
        if (OPEN_QUOTES.has(ch)) depth++;
      }
    }
    const from = this.norm.map[c.start] ?? 0;
    const to = this.norm.map[Math.max(c.start, c.end - 1)] ?? from;
    if (!this.quoted[from] || !this.quoted[to]) return false;
    const mentions = this.tagsIn(s, e).get("mention") ?? [];
    return mentions.some((m) => {
      const at = this.norm.map[m.start] ?? 0;
      if (this.quoted![at]) return false;
      // 「按话术跟他说“…”」: a marker right before an instruction to say the quote to someone is no
      // mention; 「复盘：昨天有人跟客户说“…”」 reports what was said, and the marker stands further back
      const between = this.norm.text.slice(m.end, c.start);
      return between.length > 5 || !SAY_TO_SOMEONE.test(between);
    });
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
