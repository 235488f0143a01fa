import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadServedPassages } from "../../src/core/from-config.ts";
import { ingestFolder } from "../../src/ingest/ingest.ts";
import { screen } from "../../src/ingest/screen.ts";
import { sharedCoach, tempDataDir } from "./helpers.ts";

/** A passage the engine only warns about (calling in the 21:00–22:00 band) is still never served. */
const engine = sharedCoach().engine;
const WARN_ADVICE = "晚上九点半可以给客户打电话提醒还款，这个时间客户一般在家。";
const CLEAN = "客户承诺还款后，要和客户确认具体金额、日期和还款渠道，在约定日前一天礼貌提醒。";

describe("warn-level ingested passages", () => {
  // made when a test needs it, not while the file is collected: a mutation run that filters this
  // file's tests out collects it without running its hooks, and would leave the folder behind
  let work: ReturnType<typeof tempDataDir> | undefined;
  afterEach(() => work?.cleanup());

  it("are quarantined with a warn reason, not passed as clean", () => {
    expect(engine.evaluate(WARN_ADVICE).verdict).toBe("warn");
    const r = screen([CLEAN, WARN_ADVICE], (s) => s, engine);
    expect(r.clean).toEqual([CLEAN]);
    expect(r.quarantined.map((q) => q.item)).toEqual([WARN_ADVICE]);
    expect(r.quarantined[0]!.reasons.map((x) => x.severity)).toEqual(["warn"]);
    expect(r.quarantined[0]!.reasons[0]!.category).toBe("contact-hours");
  });

  it("are listed in the ingest summary and never among the served passages", async () => {
    work = tempDataDir();
    const folder = join(work.dir, "materials");
    mkdirSync(folder);
    writeFileSync(join(folder, "晚间外呼.txt"), `晚间外呼\n\n${WARN_ADVICE}\n`);
    writeFileSync(join(folder, "承诺跟进.txt"), `承诺跟进\n\n${CLEAN}\n`);
    const summary = await ingestFolder(folder, { dataDir: work.dir, engine });
    expect(summary.quarantined.map((q) => q.file)).toEqual(["晚间外呼.txt"]);
    expect(summary.quarantined[0]!.reasons[0]!.severity).toBe("warn");
    const served = loadServedPassages({ DATA_DIR: work.dir });
    expect(served.map((p) => p.body).join("\n")).toContain("确认具体金额");
    expect(served.map((p) => p.body).join("\n")).not.toContain("九点半");
  });
});
