import { toSimplified } from "../text/script.ts";

/**
 * Pages of scraped training material that are not about collecting well: job talk (what a
 * collector job is like, walking out of a training day), advice written for debtors (how to fend
 * off collectors), and other trades' dues. They are set aside with the reason, never served.
 */
const OFF_TOPIC: Array<{ reason: string; title: RegExp; text?: RegExp }> = [
  {
    reason: "求职/岗位介绍 job talk",
    title: /岗位怎么样|招聘|应聘|求职|面试|待遇|工资多少|是我不对吗|走人/,
    text: /工作还行|最好不要去应聘|底薪|提成|五险一金/,
  },
  {
    reason: "写给债务人的建议 advice for debtors",
    title: /对付(?:暴力)?催收|应对催收|被催收怎么办|遇到暴力催收|如何防范催收|反催收攻略/,
    text: /接到催收电话时，?要注意录音|在门口安装一个摄像头|可以报警处理/,
  },
  { reason: "其他行业的催缴 other trades", title: /物业费|物业管理费|水电费|停车费/ },
  {
    // a Q/A page whose "answer" only sends the asker elsewhere
    reason: "没有实质回答 a non-answer",
    title: /^$/,
    text: /^[^。]{0,40}(?:内部资料|恐怕难以了解|无可奉告)[^。]*。[^。]{0,30}(?:建议你|请咨询)[^。]*。?$/,
  },
];

/** Why a passage is off topic, or null when it is about collecting. */
export function offTopicReason(title: string, text: string): string | null {
  const t = toSimplified(title);
  const x = toSimplified(text);
  for (const o of OFF_TOPIC) if (o.title.test(t) || o.text?.test(x)) return o.reason;
  return null;
}

/** A readable title for a document without one: what its summary says it is about. */
export function summaryTitle(text: string): string | null {
  const m = /(?:详细阐述|阐述|介绍|探讨|讲解|讨论)([^，。,.:：；;！!？?]{4,16}?)(?:[。，,.；;]|$)/u.exec(
    text.slice(0, 400),
  );
  return m ? m[1]!.trim() : null;
}
