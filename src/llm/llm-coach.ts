import type { z } from "zod";
import type { Logger } from "../bot/logger.ts";
import type { CheckResult } from "../compliance/engine.ts";
import type { AskResult, Coach } from "../core/coach.ts";
import { passageHit } from "../retrieval/passages.ts";
import type { Hit } from "../retrieval/retriever.ts";
import { detectScript, inScript, type Script } from "../text/script.ts";
import type { DailyBudget } from "./budget.ts";
import { cacheKey, LruCache } from "./cache.ts";
import { type LlmClient, LlmFailure, type LlmResult } from "./client.ts";
import { asData, numberedSources } from "./delimit.ts";
import { answerSchema, checkCitations, renderGrounded, sourcesFor } from "./grounded.ts";
import { acceptFindings, categoriesForPrompt, judgeSchema, mergeOpinion, rewriteSchema } from "./judge.ts";
import { redactPii } from "./pii.ts";

/** how much of the question a passage's heading must say to be given to the model as a source */
const PASSAGE_SOURCE_MATCH = 0.15;

import { type PromptId, type PromptSet, renderPrompt } from "./prompts.ts";

/** What an LLM-mode result records: which prompt and model made it, or why the offline result stands. */
export interface LlmTrace {
  /** true when the model's output is what the user gets */
  used: boolean;
  prompt?: { id: string; version: string };
  model?: string;
  cached?: boolean;
  /** why the offline result is shown instead (timeout, guard-blocked, uncited, …) */
  fallback?: string;
}

export type LlmAskResult = AskResult & { llm: LlmTrace };

export interface JudgeTrace extends LlmTrace {
  /** judge findings dropped (evidence not in the text, unknown category) */
  dropped?: number;
  /** where the suggestion comes from */
  suggestionBy?: "model" | "rules";
}

export type LlmCheckResult = CheckResult & { llm: JudgeTrace };

/** Hybrid retrieval (embeddings + lexical, reciprocal rank fusion); optional. */
export interface HybridSearch {
  search(question: string, lexical: Hit[], timeoutMs: number): Promise<Hit[]>;
  warm?(): Promise<void>;
}

export interface LlmCoachOptions {
  logger: Logger;
  budget: DailyBudget;
  cache?: LruCache<unknown>;
  hybrid?: HybridSearch | undefined;
  /** the whole ask or check, all model calls included, ends within this */
  timeoutMs: number;
  now?: () => number;
}

const SCRIPT_NAME: Record<Script, string> = { simplified: "简体", traditional: "繁體" };

/**
 * LLM mode over the offline core: grounded answers with checked citations, a second compliance
 * opinion and model rewrites — each falls back to the offline result when anything is wrong, and
 * every text passes the rules engine first. Only redacted text leaves the machine.
 */
export class LlmCoach {
  private readonly cache: LruCache<unknown>;
  private readonly now: () => number;

  constructor(
    readonly coach: Coach,
    readonly client: LlmClient,
    readonly prompts: PromptSet,
    private readonly options: LlmCoachOptions,
  ) {
    this.cache = options.cache ?? new LruCache();
    this.now = options.now ?? Date.now;
  }

  /** Wait until optional parts (the embedding index) are ready; batch runs call it, the bot does not. */
  async ready(): Promise<void> {
    await this.options.hybrid?.warm?.();
  }

  async ask(question: string, who = "anonymous"): Promise<LlmAskResult> {
    const deadline = this.now() + this.options.timeoutMs;
    const lexical = this.coach.retriever.search(question, 5);
    let hits: Hit[] = lexical.hits;
    if (this.options.hybrid && this.client.breaker.state !== "open" && (await this.options.budget.has(who))) {
      try {
        hits = await this.options.hybrid.search(question, lexical.hits, this.left(deadline));
      } catch (err) {
        this.options.logger.warn("hybrid search failed, lexical order kept", { reason: reasonOf(err) });
      }
    }
    // the offline answer over the same ranking: what the user gets whenever the model's is not usable
    const offline = this.coach.answerFrom(question, hits, lexical.confident, lexical.confidence);
    const fallback = (reason: string): LlmAskResult => {
      this.options.logger.info("llm answer not used", { reason });
      return { ...offline, llm: { used: false, fallback: reason } };
    };
    // a "can I …?" verdict (不能 / 可以，但…) comes from the rules, never from a model's wording
    if (offline.act) return fallback("verdict");
    // the company's passages are indexed apart from the entries (by their headings): the closest one
    // joins the sources, second, so the model can ground on the company's own material too
    const passage = this.coach.passages.best(question, PASSAGE_SOURCE_MATCH);
    const withPassage =
      passage && !hits.some((h) => h.id === passage.doc.id)
        ? [...hits.slice(0, 1), passageHit(passage.doc, 0), ...hits.slice(1)]
        : hits;
    const sources = sourcesFor(withPassage, this.coach.entries, this.coach.docs);
    if (!sources.length) return fallback("no-sources");

    const vars = {
      question: asData(redactPii(question)),
      sources: numberedSources(sources.map((s) => ({ title: redactPii(s.title), text: redactPii(s.text) }))),
      script: SCRIPT_NAME[offline.script],
    };
    let result: LlmResult<{ answer: string; covered: boolean }> & { cached: boolean };
    try {
      result = await this.call("answer", vars, answerSchema, who, deadline);
    } catch (err) {
      return fallback(reasonOf(err));
    }
    const trace = {
      prompt: { id: result.promptId, version: result.promptVersion },
      model: result.model,
      cached: result.cached,
    };
    const { answer, covered } = result.value;
    if (!covered) return { ...offline, llm: { used: false, fallback: "not-covered", ...trace } };
    const citations = checkCitations(answer, sources.length);
    if (citations.problem) return { ...offline, llm: { used: false, fallback: citations.problem, ...trace } };
    const html = renderGrounded(answer, sources, citations.cited, offline.script);
    const guard = this.coach.guard(html);
    if (!guard.allowed) {
      this.options.logger.warn("llm answer blocked by compliance guard", {
        verdict: guard.verdict,
        categories: guard.violations.map((v) => v.category),
      });
      return { ...offline, llm: { used: false, fallback: "guard-blocked", ...trace } };
    }
    return { ...offline, html, verdict: guard.verdict, llm: { used: true, ...trace } };
  }

  /**
   * Rules first; then the judge may add violations (never clear one). A rewrite from the model is
   * offered only when it passes the rules and the judge; otherwise the rules' suggestion.
   */
  async check(text: string, who = "anonymous"): Promise<LlmCheckResult> {
    const deadline = this.now() + this.options.timeoutMs;
    const rules = this.coach.check(text);
    let judged: CheckResult;
    let trace: JudgeTrace;
    try {
      const opinion = await this.judge(text, who, deadline);
      judged = mergeOpinion(rules, opinion.kept);
      trace = {
        used: true,
        prompt: { id: opinion.result.promptId, version: opinion.result.promptVersion },
        model: opinion.result.model,
        cached: opinion.result.cached,
        dropped: opinion.dropped,
      };
    } catch (err) {
      this.options.logger.info("second opinion not used", { reason: reasonOf(err) });
      return { ...rules, llm: { used: false, fallback: reasonOf(err) } };
    }
    if (judged.verdict === "pass") return { ...judged, suggestion: null, llm: trace };

    const script = detectScript(text);
    const offlineSuggestion = judged.suggestion ?? this.ruleSuggestion(judged, script);
    try {
      const problems = [...new Set(judged.violations.map((v) => v.category))].join("、");
      const r = await this.call(
        "rewrite",
        { text: asData(redactPii(text)), problems, script: SCRIPT_NAME[script] },
        rewriteSchema,
        who,
        deadline,
        false,
      );
      const candidate = inScript(r.value.rewrite.trim(), script);
      if (candidate && !candidate.includes("[NAME]") && (await this.passesBoth(candidate, who, deadline)))
        return { ...judged, suggestion: candidate, llm: { ...trace, suggestionBy: "model" } };
      this.options.logger.info("model rewrite rejected", { reason: "does not pass" });
    } catch (err) {
      this.options.logger.info("model rewrite not used", { reason: reasonOf(err) });
    }
    return { ...judged, suggestion: offlineSuggestion, llm: { ...trace, suggestionBy: "rules" } };
  }

  private async passesBoth(candidate: string, who: string, deadline: number): Promise<boolean> {
    if (this.coach.check(candidate).verdict !== "pass") return false;
    const opinion = await this.judge(candidate, who, deadline, false);
    return opinion.kept.length === 0;
  }

  private async judge(text: string, who: string, deadline: number, spend = true) {
    const result = await this.call(
      "judge",
      { text: asData(redactPii(text)), categories: categoriesForPrompt() },
      judgeSchema,
      who,
      deadline,
      spend,
    );
    return { result, ...acceptFindings(text, result.value) };
  }

  /** When the rules passed but the judge did not: the wording of a rule of the same category. */
  private ruleSuggestion(r: CheckResult, script: Script): string | null {
    for (const v of r.violations) {
      const rule = this.coach.engine.rules.find((x) => x.category === v.category && x.suggest);
      if (rule?.suggest) return inScript(rule.suggest, script);
    }
    return null;
  }

  /** One prompt call: cache by prompt version + inputs, then the user's daily budget, then the endpoint. */
  private async call<S extends z.ZodObject>(
    id: PromptId,
    vars: Record<string, string>,
    schema: S,
    who: string,
    deadline: number,
    spend = true,
  ): Promise<LlmResult<z.infer<S>> & { cached: boolean }> {
    const prompt = this.prompts[id];
    const key = cacheKey({
      promptId: prompt.id,
      version: prompt.version,
      model: this.client.model,
      inputs: vars,
    });
    const hit = this.cache.get(key) as LlmResult<z.infer<S>> | undefined;
    if (hit) return { ...hit, cached: true };
    if (this.client.breaker.state === "open") throw new LlmFailure("circuit-open");
    if (spend && !(await this.options.budget.take(who))) throw new LlmFailure("budget", "daily budget spent");
    const result = await this.client.json(renderPrompt(prompt, vars), schema, {
      timeoutMs: this.left(deadline),
    });
    this.cache.set(key, result);
    return { ...result, cached: false };
  }

  private left(deadline: number): number {
    return Math.max(1, deadline - this.now());
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof LlmFailure) return err.reason;
  return err instanceof Error ? err.message : String(err);
}
