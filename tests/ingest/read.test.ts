import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeText, docxHtmlToText, readDocument } from "../../src/ingest/read.ts";
import { fixture, tempDataDir } from "./helpers.ts";

const tmp = tempDataDir();
afterAll(tmp.cleanup);

describe("readDocument", () => {
  it("reads a .docx with its headings as Markdown headings", async () => {
    const r = await readDocument(fixture("handbook.docx"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format).toBe("docx");
    expect(r.text.split("\n")).toEqual(
      expect.arrayContaining(["# 催收员手册", "## 承诺跟进", "## 客户说没钱", "联系电话：400-820-1234"]),
    );
  });

  it("reports a broken .docx instead of throwing", async () => {
    const r = await readDocument(fixture("broken.docx"));
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/not a readable \.docx/) });
  });

  it("reports PDF and other types as unsupported", async () => {
    expect(await readDocument(fixture("slides.pdf"))).toEqual({
      ok: false,
      reason: expect.stringMatching(/PDF/),
    });
    const png = join(tmp.dir, "logo.png");
    writeFileSync(png, "x");
    expect(await readDocument(png)).toEqual({ ok: false, reason: 'unsupported file type ".png"' });
  });

  it("reports empty and binary text files", async () => {
    const empty = join(tmp.dir, "empty.txt");
    writeFileSync(empty, "");
    expect(await readDocument(empty)).toEqual({ ok: false, reason: "empty file" });
    const binary = join(tmp.dir, "binary.txt");
    writeFileSync(binary, Buffer.from([0x41, 0x00, 0x42, 0x00, 0x43]));
    expect(await readDocument(binary)).toEqual({ ok: false, reason: expect.stringMatching(/binary/) });
  });

  it("reads .txt and .md as text", async () => {
    const txt = await readDocument(fixture("qa-page.txt"));
    const md = await readDocument(fixture("course-outline.md"));
    expect(txt).toMatchObject({ ok: true, format: "text" });
    expect(md).toMatchObject({ ok: true, format: "markdown" });
  });
});

describe("decodeText", () => {
  it("decodes UTF-8 (with or without BOM), UTF-16 and GB18030", () => {
    expect(decodeText(Buffer.from("\uFEFF催收培训", "utf8"))).toBe("催收培训");
    expect(decodeText(Buffer.from("催收培训", "utf8"))).toBe("催收培训");
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("催收培训", "utf16le")]))).toBe(
      "催收培训",
    );
    expect(decodeText(Buffer.from([0xb4, 0xdf, 0xca, 0xd5, 0xc5, 0xe0, 0xd1, 0xb5]))).toBe("催收培训");
  });
});

describe("docxHtmlToText", () => {
  it("keeps headings, paragraphs, list items and table cells, and decodes entities", () => {
    const html =
      "<h1>手册</h1><p>第一段 &amp; 说明</p><ul><li>要点一</li><li>要点二</li></ul><table><tr><td>阶段</td><td>做法</td></tr></table>";
    expect(docxHtmlToText(html).split("\n").filter(Boolean)).toEqual([
      "# 手册",
      "第一段 & 说明",
      "要点一",
      "要点二",
      "阶段 | 做法 |",
    ]);
  });
});
