import { describe, expect, it } from "vitest";
import { inScript, toTraditional } from "../src/text/script.ts";

/** Simplified → the Traditional a Taiwanese or Hong Kong reader expects, character by character. */
const MUST: Array<[string, string]> = [
  ["请客户本人签字", "請客戶本人簽字"],
  ["签名不是他签的", "簽名不是他簽的"],
  ["按您签的领用合约", "按您簽的領用合約"],
  ["客户本人签的，还款责任在本人", "客戶本人簽的，還款責任在本人"],
  ["并且按时还款", "並且按時還款"],
  ["会激化矛盾，并成为投诉的证据", "會激化矛盾，並成為投訴的證據"],
  ["安全第一并结束通话", "安全第一並結束通話"],
  ["这并不是针对你", "這並不是針對你"],
  ["而不是只会要钱", "而不是只會要錢"],
  ["语气克制", "語氣克制"],
  ["客户标签", "客戶標籤"],
  ["合并账单", "合併賬單"],
  ["可一并提供", "可一併提供"],
  ["卡里没钱", "卡裡沒錢"],
  ["征信报告", "徵信報告"],
  ["下周再还", "下週再還"],
  ["了解情况", "瞭解情況"],
  ["头发", "頭髮"],
];

describe("Traditional output", () => {
  it.each(MUST)("%s → %s", (simplified, traditional) => {
    expect(toTraditional(simplified)).toBe(traditional);
  });

  it("leaves Simplified text alone for a Simplified reader", () => {
    expect(inScript("签字并还款", "simplified")).toBe("签字并还款");
  });
});
