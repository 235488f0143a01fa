import { normalize } from "../text/normalize.ts";

const segmenter = new Intl.Segmenter("zh-Hans", { granularity: "word" });
const CJK_RUN = /[\u3400-\u9fff]+/g;

/** Words too common in collectors' questions to tell entries apart. */
export const STOPWORDS = new Set(
  (
    "的 了 吗 呢 吧 啊 呀 嘛 么 是 在 有 和 与 及 或 就 都 也 还 又 很 太 要 会 能 可以 该 应该 怎么 怎么办 怎样 如何 " +
    "什么 为什么 咋 咋办 咋整 办 我 我们 你 你们 他 她 它 他们 她们 这 那 这个 那个 这种 那种 一个 说 讲 告诉 " +
    "客户 欠款人 债务人 借款人 卡人 持卡人 客人 对方 人家 遇到 碰到 时候 情况 问题 处理 回应 应对 回复 回答 " +
    "一直 总是 老是 总 就是 但是 可是 然后 因为 所以 如果 而且 把 被 让 给 对 跟 向 从 到 于 以 之 其 " +
    "自己 现在 今天 已经 一下 一些 有点 比较 非常 好 不 没 没有"
  ).split(" "),
);

/**
 * Chinese-aware tokens for lexical search: NFKC, lower case and Traditional → Simplified first;
 * then dictionary words from Intl.Segmenter plus character bigrams of every CJK run (so unknown
 * slang still matches), minus stop words.
 */
export function tokenize(text: string): string[] {
  const norm = normalize(text).text;
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(norm)) {
    if (!isWordLike) continue;
    const w = segment.trim();
    if (w && !STOPWORDS.has(w)) tokens.push(w);
  }
  for (const run of norm.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!STOPWORDS.has(bigram) && !tokens.includes(bigram)) tokens.push(bigram);
    }
  }
  return tokens;
}
