import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coach } from "../../src/core/coach.ts";
import { loadServedPassages, passagesFile } from "../../src/core/from-config.ts";
import { CoachError } from "../../src/errors.ts";
import { type IngestSummary, ingestFolder, passageId } from "../../src/ingest/ingest.ts";
import type { PassageStore } from "../../src/ingest/store.ts";
import { BOILERPLATE, MATERIALS, sharedCoach, tempDataDir } from "./helpers.ts";

/*
 * tests/fixtures/ingest/materials holds the mess real scraped training pages have:
 * scraped-slides.txt (a document-sharing site page: page markers, download notices, pinyin,
 * mojibake, run-together slides, a disclaimer footer), qa-page.txt (a Q&A page: navigation,
 * related lists, the relatives-pressure advice), course-outline.md (a vendor's course page: price
 * header, contacts, a table, hashtags), handbook.docx (a small Word file with headings, written
 * with JSZip), broken.docx (not a zip) and slides.pdf (unsupported).
 */
const engine = sharedCoach().engine;
const data = tempDataDir();
afterAll(data.cleanup);

const readStoreFile = (dir: string) =>
  JSON.parse(readFileSync(passagesFile({ DATA_DIR: dir }), "utf8")) as PassageStore;

describe("ingesting the fixture folder", () => {
  let summary: IngestSummary;
  let store: PassageStore;
  beforeAll(async () => {
    summary = await ingestFolder(MATERIALS, { dataDir: data.dir, engine });
    store = readStoreFile(data.dir);
  });

  it("summarises files, passages, duplicates, quarantine and failures", () => {
    expect(summary.files).toBe(4);
    expect(summary.passages).toBe(store.passages.length);
    expect(summary.passages).toBeGreaterThanOrEqual(7);
    // qa-page.txt repeats course-outline.md's 通话前的准备 (in Traditional) and handbook.docx's 承诺跟进 (reworded)
    expect(summary.duplicatesDropped).toBe(2);
    expect(summary.failedFiles.map((f) => f.file)).toEqual(["broken.docx", "slides.pdf"]);
    expect(summary.failedFiles[0]!.reason).toMatch(/not a readable \.docx/);
  });

  it("quarantines the relatives-pressure advice with its rule and reason, and never serves it", () => {
    const relatives = summary.quarantined.filter((q) =>
      q.reasons.some((r) => r.category === "third-party-demand"),
    );
    expect(relatives.map((q) => q.file).sort()).toEqual(["course-outline.md", "qa-page.txt"]);
    for (const q of relatives) expect(q.reasons[0]!.explanation).toBeTruthy();
    expect(store.quarantined.map((q) => q.id).sort()).toEqual(summary.quarantined.map((q) => q.id).sort());
    for (const p of loadServedPassages({ DATA_DIR: data.dir })) {
      expect(p.body).not.toMatch(/[亲親][属屬].{0,3}家庭施加[压壓]力/);
      expect(engine.evaluate(`${p.title}\n${p.body}`).verdict).toBe("pass");
    }
  });

  it("stores passages in the served format, with no boilerplate left", () => {
    const served = loadServedPassages({ DATA_DIR: data.dir });
    expect(served).toEqual(store.passages);
    for (const p of served) {
      expect(p).toMatchObject({ kind: "passage", codes: [], triggers: "", keywords: "", diagnosis: "" });
      expect(p.file).toBe(p.id.split("#")[0]!);
      // a readable source: the document's title and the heading path, never the file name
      expect(p.source).toBe(p.title === p.docTitle ? p.docTitle : `${p.docTitle} › ${p.title}`);
      expect(p.id).toBe(passageId(p.id.split("#")[0]!, p.body));
      for (const re of BOILERPLATE) expect(`${p.title}\n${p.body}`, `${p.id} ${re}`).not.toMatch(re);
    }
    expect(new Set(served.map((p) => p.id)).size).toBe(served.length);
  });

  it("indexes the .docx by its headings", () => {
    const docx = store.passages.filter((p) => p.id.startsWith("handbook.docx#"));
    expect(docx.map((p) => p.title)).toEqual(["承诺跟进", "客户说没钱", "电催人员情绪管理"]);
  });

  it("records every file with its outcome", () => {
    expect(store.files.map((f) => [f.file, f.status])).toEqual([
      ["broken.docx", "failed"],
      ["course-outline.md", "ok"],
      ["handbook.docx", "ok"],
      ["qa-page.txt", "ok"],
      ["scraped-slides.txt", "ok"],
      ["slides.pdf", "failed"],
    ]);
    const served = new Set(store.passages.map((p) => p.id));
    for (const f of store.files) for (const id of f.passageIds) expect(served.has(id)).toBe(true);
  });

  it("is idempotent: ingesting the same folder again replaces its passages", async () => {
    const again = await ingestFolder(MATERIALS, { dataDir: data.dir, engine });
    const after = readStoreFile(data.dir);
    expect(after.passages).toEqual(store.passages);
    expect(after.quarantined).toEqual(store.quarantined);
    expect(after.files.map((f) => f.file)).toEqual(store.files.map((f) => f.file));
    expect({ ...again, quarantined: again.quarantined.length }).toEqual({
      ...summary,
      quarantined: summary.quarantined.length,
    });
  });
});

describe("ingesting folders that change", () => {
  const work = tempDataDir();
  const folder = join(work.dir, "materials");
  const other = join(work.dir, "other");
  afterAll(work.cleanup);

  it("keeps ids stable, drops a removed file's passages, and keeps other folders", async () => {
    cpSync(MATERIALS, folder, { recursive: true });
    cpSync(MATERIALS, other, { recursive: true });
    rmSync(join(other, "qa-page.txt"));
    writeFileSync(
      join(other, "extra.txt"),
      "外访前的准备\n外访前要先电话预约，说明来意和时间，两人同行，全程礼貌，不进入客户住所以外的场所，不对邻居和同事透露欠款情况。",
    );
    const dataDir = join(work.dir, "data");

    await ingestFolder(folder, { dataDir, engine });
    const first = readStoreFile(dataDir);
    const second = await ingestFolder(other, { dataDir, engine });
    // everything but extra.txt duplicates what the first folder already serves
    expect(second.passages).toBe(1);
    expect(second.duplicatesDropped).toBeGreaterThan(0);

    rmSync(join(folder, "handbook.docx"));
    await ingestFolder(folder, { dataDir, engine });
    const after = readStoreFile(dataDir);
    const ids = new Set(after.passages.map((p) => p.id));
    const handbookIds = first.passages.filter((p) => p.id.startsWith("handbook.docx#")).map((p) => p.id);
    expect(handbookIds.length).toBeGreaterThan(0);
    for (const p of first.passages) expect(ids.has(p.id)).toBe(!handbookIds.includes(p.id));
    expect(after.passages.some((p) => p.id.startsWith("extra.txt#"))).toBe(true);

    // the other folder's copy was dropped as a duplicate; ingesting it again serves it under the same ids
    // (but for 承诺跟进, which now duplicates qa-page.txt, served from the first folder)
    await ingestFolder(other, { dataDir, engine });
    const last = readStoreFile(dataDir);
    const served = last.passages.filter((p) => p.id.startsWith("handbook.docx#")).map((p) => p.id);
    expect(served).toEqual(handbookIds.slice(1));
    expect(last.files.find((f) => f.file === "handbook.docx")).toMatchObject({
      folder: other,
      passageIds: served,
    });
  });

  it("throws for a missing folder and leaves the store alone", async () => {
    await expect(ingestFolder(join(work.dir, "nope"), { dataDir: data.dir, engine })).rejects.toMatchObject({
      code: "INGEST_UNREADABLE",
    });
    await expect(
      ingestFolder(join(MATERIALS, "qa-page.txt"), { dataDir: data.dir, engine }),
    ).rejects.toBeInstanceOf(CoachError);
  });
});

describe("ingested passages in answers", () => {
  let coach: Coach;
  beforeAll(async () => {
    const dir = tempDataDir();
    await ingestFolder(MATERIALS, { dataDir: dir.dir, engine });
    coach = new Coach({ passages: loadServedPassages({ DATA_DIR: dir.dir }) });
    dir.cleanup();
  });

  it("answers a question only the company's documents answer from the passage", () => {
    const r = coach.ask("催收主管的职责是什么");
    expect(r.passageId).toMatch(/^qa-page\.txt#/);
    expect(r.hits[0]).toMatchObject({ kind: "passage", source: "催收技巧問答 › 3. 催收主管的職責是什麼" });
    // heading, text and source in the asker's script (the page is written in Traditional)
    expect(r.html).toContain("<b>📄 3. 催收主管的职责是什么</b>");
    expect(r.html).toContain("制定小组管理制度");
    expect(r.html).toMatch(/📚 来源<\/b> 催收技巧问答 › 3\. 催收主管的职责是什么（qa-page\.txt）/);
    expect(r.verdict).toBe("pass");
  });

  it("answers a Traditional asker in Traditional", () => {
    const r = coach.ask("催收主管的職責是什麼？");
    expect(r.html).toContain("📄 3. 催收主管的職責是什麼");
    expect(r.html).toContain("催收技巧問答");
  });

  it("keeps the curated entry when a passage only restates it", () => {
    // course-outline.md carries a section with the title and diagnosis of the curated entry abusive-debtor-cursing
    const r = coach.ask("客户一接电话就骂人、满口脏话");
    expect(r.entryId).toBe("abusive-debtor-cursing");
    expect(r.passageId).toBeUndefined();
  });
});
