import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Coach } from "../../src/core/coach.ts";

/** The messy training materials the ingest tests read (never ../shared). */
export const MATERIALS = join(import.meta.dirname, "..", "fixtures", "ingest", "materials");
export const fixture = (name: string) => join(MATERIALS, name);

/** A fresh DATA_DIR under the OS temp folder; remove it with cleanup(). */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "coach-ingest-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let coach: Coach | undefined;
/** One Coach over the shipped knowledge base, shared by a test file (its engine screens passages). */
export function sharedCoach(): Coach {
  coach ??= new Coach();
  return coach;
}

/** Boilerplate that must never reach a served passage, in either script. */
export const BOILERPLATE: RegExp[] = [
  /_第\d+[頁页]/,
  /已[閱阅][讀读]|[繼继][續续]免[費费]|下[載载]本文[檔档]|文[檔档]簡介|文档简介/,
  /版[權权]|本站|人人文[庫库]|侵[權权].{0,12}(舉報|举报|認領|认领|聯系|联系)/,
  /[導导][航]|首[頁页]\s*>|[發发]布[時时][間间]/,
  /[閱阅][讀读]全文|相[關关]的[資资]料$|[熱热]點內容|热点内容|[瀏浏][覽览][:：]|最新文[檔档]|[評评][論论]|0\/150/,
  /\d{3}-?\d{4}\s?\d{4}|1[3-9]\d{9}|@|https?:|www\.|\.cn\b|\.com\b/,
  /地址|[郵邮]箱|致[電电]/,
  /#[^#\s]/,
  /\([a-zàáǎèéěìíǐòóǒùúǔüū]+\)/,
  /\?\?|蛻粜畔/,
  /[課课]程[價价]格|[開开][課课][時时][間间]|适合对象|適合對象/,
  /演[講讲]人|[匯汇][報报]人|CATALOGUE|bdjson|目[錄录]/,
  /[掃扫]一[掃扫]|用手机访问|温馨提示|溫馨提示/,
  /城市\s*[|；]/,
];
