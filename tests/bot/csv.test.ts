import { describe, expect, it } from "vitest";
import { parseImport } from "../../src/bot/features/import.ts";
import { LOCALES } from "../../src/bot/locales/index.ts";
import { toCsv } from "../../src/bot/pager.ts";

describe("CSV", () => {
  it("exports quote commas and quotes, and neutralise cells a spreadsheet would run as formulas", () => {
    const csv = toCsv([
      ["id", "name"],
      [1, '张"三", 组长'],
      [2, '=HYPERLINK("http://x")'],
      [3, "-5"],
    ]);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain('1,"张""三"", 组长"\r\n');
    expect(csv).toContain(`2,"'=HYPERLINK(""http://x"")"\r\n`);
    expect(csv).toContain("3,'-5\r\n");
  });

  it("import reads what an export-to-CSV from a spreadsheet gives (BOM, header, CRLF, quotes, blank lines)", () => {
    const { rows, errors } = parseImport(
      '\uFEFF用户ID,姓名,角色,团队\r\n1001,"王, 小明",催收员,北区\r\n\r\n1002,李雷,Supervisor,北区\r\n',
      LOCALES["zh-CN"],
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { id: "1001", name: "王, 小明", role: "collector", team: "北区", line: 2 },
      { id: "1002", name: "李雷", role: "supervisor", team: "北区", line: 4 },
    ]);
  });

  it("import without a header starts at line 1", () => {
    const { rows, errors } = parseImport("1001,a,collector,x\nzz,b,collector,x", LOCALES["zh-CN"]);
    expect(rows).toHaveLength(1);
    expect(errors).toEqual(["第 2 行：用户ID必须是数字"]);
  });
});
