import { normalize } from "../text/normalize.ts";

/**
 * How completely a heading says what a question asks: the F1 of their content bigrams (question
 * words and particles dropped). 「催收主管的职责是什么」 and the heading 「4. 催收主管的職責是什麼」
 * score 1; a question about something else scores near 0 against every heading, so headings of an
 * ingested folder only ever answer the questions they are about.
 */
const FRAME =
  /是什么|是啥|什么|怎么样|怎么办|怎么|怎样|如何|哪些|哪个|为什么|多少|主要|一下|请问|要求|吗|呢|啊|吧|么|的|了|是|有|和|与|及|或/gu;
const NUMBERING =
  /^\s*(?:第[一二三四五六七八九十百零\d]+[章节篇部分模块讲课单元]|[一二三四五六七八九十]+[、.．]|[（(]?\d{1,2}[)）.．、:：]|\d{1,2}\s|案例(?:分析)?\s*\d*[:：.．]?|工具\s*\d*[:：.．]?)/u;

export function contentBigrams(text: string): Set<string> {
  const norm = normalize(text.replace(NUMBERING, "")).text.replace(FRAME, " ");
  const out = new Set<string>();
  for (const run of norm.match(/[\u3400-\u9fff]+|[a-z0-9]+/gu) ?? []) {
    if (/^[a-z0-9]+$/.test(run)) out.add(run);
    else if (run.length === 1) out.add(run);
    else for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** F1 of the bigrams the question and the heading share. */
export function headingMatch(question: Set<string>, heading: Set<string>): number {
  if (!question.size || !heading.size) return 0;
  let shared = 0;
  for (const b of question) if (heading.has(b)) shared++;
  if (!shared) return 0;
  const p = shared / heading.size;
  const r = shared / question.size;
  return (2 * p * r) / (p + r);
}
