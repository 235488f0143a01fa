import { z } from "zod";
import type { Logger } from "../bot/logger.ts";
import { passagesFile } from "../core/from-config.ts";
import { readStore, writeStore } from "../ingest/store.ts";
import { SCENARIO_CODES, type ScenarioCode } from "../knowledge/codes.ts";
import type { SearchDoc } from "../retrieval/retriever.ts";
import { type LlmClient, LlmFailure } from "./client.ts";
import { asData } from "./delimit.ts";
import { createLlmClient, type LlmConfig, llmEnabled } from "./from-config.ts";
import { redactPii } from "./pii.ts";
import { loadPrompts, type PromptSet, renderPrompt } from "./prompts.ts";

/** The scenario codes of spec/taxonomy.md, as the tagging prompt lists them. */
export const SCENARIO_DEFINITIONS: Record<ScenarioCode, string> = {
  "no-income": "没钱/没收入：失业、生意失败、降薪、被欠薪",
  illness: "生病：本人或家人生病、医药费",
  "delay-promise": "拖延承诺：下个月、发工资后、年终奖，屡次失信",
  "busy-later": "推脱再说：开会、出差、开车，回头再说然后不接",
  "waiver-demand": "要求减免：不减免就不还、停息挂账、只还本金、个性化分期",
  "interest-too-high": "利息太高：质疑利息或分期手续费、高利贷",
  "penalty-too-high": "罚息太高：滞纳金、罚息越滚越多",
  "used-by-other": "钱是别人用的：朋友、配偶、亲戚、合伙人花的",
  "card-by-other": "卡不是我办的：中介、单位代办、身份被冒用",
  defiant: "抗拒躺平：没钱有本事来抓我、征信已经花了",
  "complaint-threat": "扬言投诉：录音、向监管/警方/网上投诉",
  "already-paid": "声称已还：说已经还了、还错账户、还给个人",
  "other-debts-first": "先还别家：多头借贷、先还房贷",
  "anti-collection": "反催收/代理：停催机构、债务优化、律师、维权组织",
  "third-party": "第三方接听：亲属、同事、紧急联系人接电话",
  "abusive-debtor": "辱骂/情绪激动：债务人骂人、威胁、吼叫",
  unreachable: "失联：不接、拉黑、换号、搬家，合法恢复联系",
  "contact-rules": "联系规范：时段、频次、可联系的人、节假日",
  opening: "开场白：开场、身份核实、称呼",
  "stage-early": "前期逾期：M0–M1 的特点和方法",
  "stage-late": "后期逾期：M2、M3+ 及长期逾期",
  "debtor-psychology": "债务人心理：冲动型、拖欠型、抵制型、欺诈型，能力与意愿",
  "emotion-management": "情绪管理：催收员自己的压力、愤怒、倦怠",
  "complaint-handling": "投诉处理：平息愤怒、拒绝无理要求",
  "legal-process": "法律程序：诉讼、诉讼时效、财产保全、强制执行、支付令",
  "repayment-plan": "还款方案：分期、部分还款、协商可承受的金额",
  "follow-up": "承诺跟进：跟踪还款承诺、记录、下次联系",
  "verify-ability": "核实还款能力：收入、资产、能力与意愿",
  "persuasion-strategies": "促还策略：共情、互惠、赞美、高低球、黑白脸、面质、框架、剥离、三明治、自家人",
};

const tagSchema = z.object({ codes: z.array(z.string()) });
const isCode = (c: string): c is ScenarioCode => (SCENARIO_CODES as readonly string[]).includes(c);
const MAX_CODES = 3;

/**
 * Scenario codes for ingested passages that have none, from the tag-passage prompt. Unknown codes
 * are dropped; a passage whose call fails keeps no codes (it is still served). Stops early when
 * the endpoint's circuit opens. Returns new passage objects; the input is not changed.
 */
export async function tagPassages(
  client: LlmClient,
  prompts: PromptSet,
  passages: SearchDoc[],
  logger: Logger,
): Promise<{ passages: SearchDoc[]; tagged: number; failed: number }> {
  const prompt = prompts["tag-passage"];
  if (!prompt) throw new Error("prompts/tag-passage.md is missing");
  const codes = SCENARIO_CODES.map((c) => `- ${c}：${SCENARIO_DEFINITIONS[c]}`).join("\n");
  let tagged = 0;
  let failed = 0;
  const out: SearchDoc[] = [];
  let circuitOpen = false;
  for (const p of passages) {
    if (p.codes.length || circuitOpen) {
      out.push(p);
      continue;
    }
    try {
      const r = await client.json(
        renderPrompt(prompt, { passage: asData(redactPii(`${p.title}\n${p.body}`)), codes }),
        tagSchema,
      );
      const found = [...new Set(r.value.codes.filter(isCode))].slice(0, MAX_CODES);
      if (found.length) tagged++;
      out.push({ ...p, codes: found });
    } catch (err) {
      failed++;
      circuitOpen = err instanceof LlmFailure && err.reason === "circuit-open";
      logger.warn("passage not tagged", {
        id: p.id,
        reason: err instanceof LlmFailure ? err.reason : String(err),
      });
      out.push(p);
    }
  }
  return { passages: out, tagged, failed };
}

/**
 * After `cli ingest` in LLM mode: tag the stored passages that have no codes yet and write them
 * back. Undefined when LLM mode is off (nothing is sent).
 */
export async function tagStoredPassages(
  config: LlmConfig,
  logger: Logger,
): Promise<{ tagged: number; failed: number } | undefined> {
  if (!llmEnabled(config)) return undefined;
  const file = passagesFile(config);
  const store = readStore(file);
  const r = await tagPassages(createLlmClient(config, logger), loadPrompts(), store.passages, logger);
  if (r.tagged)
    await writeStore(file, { ...readStore(file), passages: r.passages, updatedAt: new Date().toISOString() });
  return { tagged: r.tagged, failed: r.failed };
}
