/**
 * Sibling entries: two entries on one topic that differ in one fact the question states (who is
 * ill; blocked or just not answering). Lexical scores cannot read that fact — 「他老婆住院了」 shares
 * most words with 「本人住院」 — so when both siblings are in the top three and the question names
 * the fact of exactly one, that one goes first. Cues are matched in Simplified.
 */
export interface SiblingPair {
  /** entry id → cue that the question is about this one */
  cues: Array<[string, RegExp]>;
}

const FAMILY =
  /老婆|老公|妻子|丈夫|太太|爱人|媳妇|爸|妈|父亲|母亲|父母|孩子|小孩|儿子|女儿|家人|家里人|家属|老人|岳父|岳母|婆婆|公公|兄弟|哥哥|弟弟|姐姐|妹妹|亲人/;

export const SIBLINGS: SiblingPair[] = [
  {
    cues: [
      // a family member is ill (checked first: 「他妈生病，他自己也没收入」 is about the mother's bills)
      ["illness-family-medical", FAMILY],
      ["illness-debtor-sick", /本人|自己|他得了|她得了|我得了|全身都是病/],
    ],
  },
  {
    cues: [
      [
        "unreachable-blocked-changed-number",
        /拉黑|删了|删除|删好友|关机|停机|空号|换号|换了号|换手机|换了手机|搬家|搬走|屏蔽|封锁|注销/,
      ],
      ["unreachable-no-answer", /不接|没人接|没接|无人接听|一直响|挂断|秒挂|不回/],
    ],
  },
];

/** Reorder `ranked` (best first) when a sibling pair is in the top three and the question names one side. */
export function preferSibling<T extends { id: string; score: number }>(question: string, ranked: T[]): T[] {
  let out = ranked;
  for (const pair of SIBLINGS) {
    const top = out.slice(0, 3);
    const present = pair.cues.filter(([id]) => top.some((h) => h.id === id));
    if (present.length < 2) continue;
    const chosen = present.find(([, cue]) => cue.test(question));
    if (!chosen) continue;
    const best = out[0]!;
    if (best.id === chosen[0]) continue;
    const idx = out.findIndex((h) => h.id === chosen[0]);
    const lifted = { ...out[idx]!, score: Math.max(out[idx]!.score, best.score) };
    out = [lifted, ...out.filter((_, i) => i !== idx)];
  }
  return out;
}
