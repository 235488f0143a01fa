import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coach, PASSAGE_MATCH } from "../../src/core/coach.ts";
import { loadServedPassages } from "../../src/core/from-config.ts";
import { type IngestSummary, ingestFolder } from "../../src/ingest/ingest.ts";
import { stripHtml } from "../../src/text/html.ts";
import { loadQuestionSet } from "../question-set.ts";
import { MATERIALS, sharedCoach, tempDataDir } from "./helpers.ts";

/*
 * tests/fixtures/ingest/company: a Q/A page in Traditional with job talk and advice for debtors
 * next to two real answers (a field agent's day, a team lead's duties), and a Markdown handbook
 * with a numbered process map and a case study.
 */
const COMPANY = join(import.meta.dirname, "..", "fixtures", "ingest", "company");
const coach = sharedCoach();
const data = tempDataDir();
afterAll(data.cleanup);

let summary: IngestSummary;
let withFolders: Coach;
beforeAll(async () => {
  const tag = (title: string, text: string) => coach.tagCodes(`${title}\n${text}`);
  summary = await ingestFolder(COMPANY, { dataDir: data.dir, engine: coach.engine, tag });
  await ingestFolder(MATERIALS, { dataDir: data.dir, engine: coach.engine, tag });
  withFolders = new Coach({ passages: loadServedPassages({ DATA_DIR: data.dir }) });
});

describe("splitting and screening the company's documents", () => {
  it("sets aside job talk and advice written for debtors, with the reason", () => {
    expect(summary.setAside.map((a) => [a.title, a.reason])).toEqual([
      ["1. 招商催收崗位怎麼樣", expect.stringMatching(/job talk/)],
      ["3. 欠錢被催收了怎麼辦", expect.stringMatching(/advice for debtors/)],
    ]);
    const served = loadServedPassages({ DATA_DIR: data.dir });
    expect(served.some((p) => /底薪|攝像頭/.test(p.body))).toBe(false);
  });

  it("titles each passage with its heading path and the document's own title", () => {
    const served = loadServedPassages({ DATA_DIR: data.dir }).filter((p) => p.file === "process-map.md");
    expect(served.map((p) => p.source)).toEqual([
      "电催作业手册 › 一、电催作业流程图 › 1、拨打前",
      "电催作业手册 › 一、电催作业流程图 › 2、通话中",
      "电催作业手册 › 一、电催作业流程图 › 3、通话后",
      "电催作业手册 › 案例分析01：客户说下个月一定还",
    ]);
  });

  it("tags passages with the scenario codes of the curated entry they are about", () => {
    const served = loadServedPassages({ DATA_DIR: data.dir });
    const caseStudy = served.find((p) => p.title.includes("案例分析01"))!;
    expect(caseStudy.codes).toContain("delay-promise");
  });
});

describe("answering from the company's documents", () => {
  it("answers a question about the folder from its passage, with document and section as the source", () => {
    const r = withFolders.ask("催收组长的工作职责有哪些");
    const text = stripHtml(r.html);
    expect(r.passageId).toMatch(/^qa-collection\.txt#/);
    expect(text.startsWith("📄 4. 催收组长的工作职责")).toBe(true);
    expect(text).toContain("抽听组员的通话录音");
    expect(text).toContain("📚 来源 催收岗位问答 › 4. 催收组长的工作职责（qa-collection.txt）");
  });

  it("offers related curated entries next to a passage", () => {
    const r = withFolders.ask("案例分析01：客户说下个月一定还");
    expect(r.passageId).toMatch(/^process-map\.md#/);
    expect(r.related.length).toBeGreaterThan(0);
    expect(r.related.some((id) => withFolders.entries.get(id)!.codes.includes("delay-promise"))).toBe(true);
  });

  it("never changes the answer to a question the folders are not about", () => {
    const questions = [...loadQuestionSet("tune"), ...loadQuestionSet("holdout")].map((q) => q.q);
    questions.push("能不能去他单位闹", "今天天气怎么样", "欠款人说卡里一分都没有，你们爱怎么办怎么办");
    // a question is about the folders when one of their headings says it
    const about = questions.filter((q) => (withFolders.passages.best(q)?.match ?? 0) >= PASSAGE_MATCH);
    expect(about.length).toBeLessThanOrEqual(5);
    const changed = questions.filter((q) => {
      if (about.includes(q)) return false;
      const before = coach.ask(q);
      const after = withFolders.ask(q);
      return before.html !== after.html || JSON.stringify(before.hits) !== JSON.stringify(after.hits);
    });
    expect(changed).toEqual([]);
  });
});
