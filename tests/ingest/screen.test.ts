import { describe, expect, it } from "vitest";
import { screen, screenText } from "../../src/ingest/screen.ts";
import { sharedCoach } from "./helpers.ts";

const engine = sharedCoach().engine;

describe("screening ingested passages", () => {
  it("quarantines advice to press the debtor's relatives, as third-party-demand", () => {
    for (const text of [
      "如果欠款人抵赖，可以对其亲属、家庭施加压力，把事情搞大",
      "如果面對欠款人的抵賴，可對其親屬，家庭施加壓力，變相來說就是把事情搞大它。",
    ]) {
      const reasons = screenText(engine, text);
      expect(reasons.map((r) => r.category)).toContain("third-party-demand");
      const r = reasons.find((x) => x.category === "third-party-demand")!;
      expect(r.rule).toBeTruthy();
      expect(r.explanation).toBeTruthy();
      expect(text).toContain(r.evidence);
    }
  });

  it("lets compliant teaching material through", () => {
    expect(
      screenText(engine, "客户承诺还款后，要和客户确认具体金额、日期和还款渠道，在约定日前一天礼貌提醒。"),
    ).toEqual([]);
    expect(screenText(engine, "严禁向客户的亲属、家庭施加压力，只能联系债务人本人。")).toEqual([]);
  });

  it("splits a batch into clean and quarantined items with their reasons", () => {
    const items = [
      "通话时保持冷静和礼貌，先核实身份再说明来意。",
      "如果欠款人抵赖，可以对其亲属、家庭施加压力，把事情搞大",
    ];
    const r = screen(items, (s) => s, engine);
    expect(r.clean).toEqual([items[0]]);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.item).toBe(items[1]);
    expect(r.quarantined[0]!.reasons[0]!.severity).toBe("block");
  });
});
