import type { CheckResult } from "../compliance/engine.ts";
import type { AskResult } from "../core/coach.ts";
import type { JudgeTrace, LlmTrace } from "../llm/llm-coach.ts";
import { stripHtml } from "../text/html.ts";

const VERDICT_LABEL = { pass: "✅ 通过 pass", warn: "⚠️ 注意 warn", block: "⛔ 禁止 block" } as const;

/** In LLM mode: which prompt and model made the result, or why the offline one stands. */
const llmJson = (t: LlmTrace | JudgeTrace | undefined) => (t ? { llm: t } : {});

export function askToJson(r: AskResult & { llm?: LlmTrace }) {
  return {
    question: r.question,
    answer: stripHtml(r.html),
    hits: r.hits.map((h) => ({ id: h.id, codes: h.codes, title: h.title, score: h.score })),
    verdict: r.verdict,
    ...llmJson(r.llm),
  };
}

export function checkToJson(r: CheckResult & { llm?: JudgeTrace }) {
  return {
    text: r.text,
    verdict: r.verdict,
    violations: r.violations.map((v) => ({
      rule: v.rule,
      category: v.category,
      severity: v.severity,
      evidence: v.evidence,
      explanation: v.explanation,
      basis: v.basis,
      ...(v.confidence !== undefined ? { confidence: v.confidence } : {}),
      ...(v.example ? { example: v.example } : {}),
    })),
    suggestion: r.suggestion,
    ...llmJson(r.llm),
  };
}

export function formatAsk(r: AskResult): string {
  const hits = r.hits
    .slice(0, 3)
    .map((h) => `${h.id} (${h.score})`)
    .join(", ");
  return `${stripHtml(r.html)}\n\n— 匹配: ${hits || "无"}`;
}

export function formatCheck(r: CheckResult): string {
  const lines = [`${VERDICT_LABEL[r.verdict]}  ${r.text}`];
  for (const v of r.violations) {
    lines.push(
      `\n[${v.severity}] ${v.category} · ${v.rule}`,
      `  证据: 「${v.evidence}」`,
      `  原因: ${v.explanation}`,
      `  依据: ${v.basis}`,
    );
    if (v.confidence !== undefined)
      lines.push(`  模型: 规则未命中，学习层判断违规的概率 ${v.confidence} (learned layer)`);
    if (v.example) lines.push(`  相近的真实说法: 「${v.example}」`);
  }
  if (r.suggestion) lines.push(`\n建议改为: ${r.suggestion}`);
  return lines.join("\n");
}
