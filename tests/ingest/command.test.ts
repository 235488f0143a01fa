import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { passagesFile } from "../../src/core/from-config.ts";
import { runIngestCommand } from "../../src/ingest/command.ts";
import { MATERIALS, tempDataDir } from "./helpers.ts";

const data = tempDataDir();
afterAll(data.cleanup);
const config = loadConfig({ DATA_DIR: data.dir });

describe("npm run cli -- ingest <folder>", () => {
  let out: MockInstance;
  let err: MockInstance;
  const printed = (m: MockInstance) => m.mock.calls.map((c) => String(c[0])).join("");
  beforeEach(() => {
    out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it("exits 0 and prints the summary on stdout even when some files failed", async () => {
    expect(await runIngestCommand(config, MATERIALS)).toBe(0);
    const text = printed(out);
    expect(text).toMatch(/files:\s+4 read, 2 failed/);
    expect(text).toMatch(/duplicates dropped:\s+2/);
    expect(text).toMatch(/quarantined:\s+2/);
    expect(text).toContain("(third-party-demand, block)");
    expect(text).toMatch(/broken\.docx: not a readable \.docx/);
    expect(text).toMatch(/slides\.pdf: PDF is not supported/);
    expect(existsSync(passagesFile(config))).toBe(true);
  });

  it("exits non-zero when the folder is missing, naming it on stderr", async () => {
    expect(await runIngestCommand(config, join(data.dir, "missing"))).toBe(1);
    expect(printed(err)).toContain("missing");
    expect(printed(out)).toBe("");
  });

  it("asks for a folder when none is given", async () => {
    expect(await runIngestCommand(config, undefined)).toBe(2);
    expect(printed(err)).toMatch(/usage/);
  });
});
