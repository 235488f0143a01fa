import type { GuardResult } from "../compliance/guard.ts";
import type { ComplianceCategory } from "../knowledge/codes.ts";
import type { Entry } from "../knowledge/schema.ts";
import { escapeHtml, TELEGRAM_TEXT_LIMIT } from "../text/html.ts";
import { inScript, type Script } from "../text/script.ts";
import type { ActVerdict } from "./can-i.ts";
import type { ComposedAnswer } from "./compose.ts";
import { prohibition } from "./compose.ts";
import { type DocumentTitles, sourcesLine } from "./documents.ts";

const CATEGORY_NAMES: Record<ComplianceCategory, string> = {
  "violence-threat": "暴力或暴力威胁",
  "soft-violence": "软暴力滋扰",
  "false-criminal-threat": "虚构刑事后果",
  insult: "侮辱谩骂",
  "third-party-disclosure": "向第三方泄露债务",
  "third-party-demand": "向无义务的第三人施压",
  impersonation: "冒充公检法或机构",
  "fake-legal-document": "虚构法律程序",
  harassment: "频繁骚扰",
  "contact-hours": "在禁止时段联系",
  "public-shaming": "公开曝光",
  "borrow-to-repay": "诱导借贷还款",
  misleading: "误导性陈述",
  "privacy-misuse": "滥用个人信息",
  "unofficial-payment": "私人收款或额外收费",
  "inflated-debt": "夸大或非法债务",
  "identity-concealment": "隐瞒身份、规避录音",
};

const MAX_STEPS = 4;

export interface VerdictInput {
  verdict: ActVerdict;
  entries: ReadonlyMap<string, Entry>;
  script: Script;
  guard: (text: string) => GuardResult;
  titles?: DocumentTitles;
}

/**
 * The answer to "can I …?": 「不能」 first with the rule and its legal basis, then the lawful way
 * (a curated entry); or 「可以，但…」 with the conditions. Every block passes the guard; a block
 * that does not is left out (the verdict line itself is written as a prohibition).
 */
export function composeVerdict(input: VerdictInput): ComposedAnswer {
  const { verdict, entries, script, guard } = input;
  const entryId = verdict.kind === "unlawful" ? verdict.instead : verdict.lawful.entry;
  const entry = entries.get(entryId);
  const blocks: string[][] = [];
  if (verdict.kind === "unlawful") {
    const categories = [...new Set(verdict.violations.map((v) => CATEGORY_NAMES[v.category]))].join("、");
    blocks.push([`⛔ <b>不能。</b>这样做属于${escapeHtml(categories)}，是违规催收。`]);
    // one rule per kind of violation, at most two (a combination of tactics breaks several)
    const rules = verdict.violations.filter(
      (v, i, all) => all.findIndex((w) => w.category === v.category) === i,
    );
    for (const v of rules.slice(0, 2))
      blocks.push([`<b>📏 规则</b> ${escapeHtml(v.explanation)}`, `<b>⚖️ 依据</b> ${escapeHtml(v.basis)}`]);
    if (entry) {
      blocks.push([
        `<b>✅ 应该这样做：${escapeHtml(entry.title)}</b>`,
        ...entry.steps.slice(0, MAX_STEPS).map((s, i) => `${i + 1}. ${escapeHtml(s)}`),
      ]);
      blocks.push(["<b>💬 可以这样说</b>", ...entry.say.slice(0, 2).map((s) => `「${escapeHtml(s)}」`)]);
    }
  } else {
    blocks.push([`✅ <b>可以，但…</b>${escapeHtml(verdict.lawful.but)}。`]);
    if (entry) {
      blocks.push([
        `<b>📋 条件：${escapeHtml(entry.title)}</b>`,
        ...entry.steps.slice(0, MAX_STEPS).map((s, i) => `${i + 1}. ${escapeHtml(s)}`),
      ]);
      const never = entry.never[0];
      if (never)
        blocks.push([
          "<b>🚫 千万别这样</b>",
          `${escapeHtml(prohibition(never.dont))}。${escapeHtml(never.why)}`,
        ]);
    }
  }
  if (entry) blocks.push([`<b>📚 来源</b> ${escapeHtml(sourcesLine(entry, input.titles))}`]);
  const chosen = blocks.filter((b) => guard(b.join("\n")).allowed);
  let html = inScript(chosen.map((b) => b.join("\n")).join("\n\n"), script);
  if (html.length > TELEGRAM_TEXT_LIMIT) html = `${html.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…`;
  const related = entry ? entry.related.filter((id) => entries.has(id) && id !== entryId).slice(0, 3) : [];
  return { html, entryId: entry ? entryId : null, related };
}
