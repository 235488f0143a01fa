import { describe, expect, it } from "vitest";
import { reportStorageErrors } from "../../src/app.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { StorageError } from "../../src/storage/index.ts";

describe("structured logs (pino)", () => {
  it("writes one JSON line per event, level by name, numbers redacted, errors serialised", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l));
    log.debug("not shown");
    log.warn("客户手机13812345678不接", { user: 5, token: "secret-token" });
    log.error("failed", { err: new Error("boom 6222021234567890") });
    expect(lines).toHaveLength(2);
    const [warn, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warn).toMatchObject({ level: "warn", msg: "客户手机[PHONE]不接", user: 5, token: "[redacted]" });
    expect(typeof warn!.time).toBe("string");
    expect(error).toMatchObject({
      level: "error",
      msg: "failed",
      err: { type: "Error", message: "boom [CARD]" },
    });
  });

  it("a failed storage operation is logged with operation, key, fault and place, and counted", () => {
    const lines: string[] = [];
    const metrics = new Metrics();
    const cause = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    reportStorageErrors(
      createLogger("info", (l) => lines.push(l)),
      metrics,
    )(new StorageError("set", "user:7", "DATA_DIR=/srv/coach", cause));
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "error",
      msg: "storage operation failed",
      op: "set",
      key: "user:7",
      fault: "disk full",
      where: "DATA_DIR=/srv/coach",
    });
    expect(metrics.value("coach_storage_errors_total", { op: "set", fault: "disk full" })).toBe(1);
  });
});
