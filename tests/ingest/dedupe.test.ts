import { describe, expect, it } from "vitest";
import { bigrams, dedupe, dedupeKey, jaccard } from "../../src/ingest/dedupe.ts";

const id = (s: string) => s;
const A =
  "打电话前先看客户的过往用卡和还款情况、详细资料和上次通话记录，判断拖欠的主要原因和还款能力，想好开场白和要确认的事项。";

describe("dedupe", () => {
  it("treats texts that differ only in script, punctuation, width and spacing as the same", () => {
    const trad =
      "打電話前先看客戶的過往用卡和還款情況 、詳細資料和上次通話記錄,判斷拖欠的主要原因和還款能力,想好開場白和要確認的事項";
    expect(dedupeKey(trad)).toBe(dedupeKey(A));
    const r = dedupe([A, trad], id);
    expect(r.kept).toEqual([A]);
    expect(r.dropped).toEqual([{ item: trad, duplicateOf: A, similarity: 1 }]);
  });

  it("drops near-duplicates (a word or two changed)", () => {
    const near = A.replace("上次通话记录", "上一次的通话记录").replace("开场白", "开场的话");
    const r = dedupe([A, near], id);
    expect(r.kept).toEqual([A]);
    expect(r.dropped[0]!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(r.dropped[0]!.similarity).toBeLessThan(1);
  });

  it("keeps different passages on the same topic", () => {
    const other =
      "客户承诺还款后，要确认具体金额、日期和还款渠道，在约定日前一天礼貌提醒；到期未还时先了解原因。";
    const r = dedupe([A, other], id);
    expect(r.kept).toEqual([A, other]);
    expect(r.dropped).toEqual([]);
  });

  it("drops new items that duplicate ones already kept elsewhere", () => {
    const r = dedupe([A], id, { seen: [A.replace("。", "")] });
    expect(r.kept).toEqual([]);
    expect(r.dropped).toHaveLength(1);
  });

  it("computes Jaccard similarity of character bigrams", () => {
    expect(jaccard(bigrams("催收培训"), bigrams("催收培训"))).toBe(1);
    expect(jaccard(bigrams("催收培训"), bigrams("还款计划"))).toBe(0);
    expect(jaccard(bigrams("催收培训"), bigrams("催收技巧"))).toBeCloseTo(1 / 5);
  });
});
