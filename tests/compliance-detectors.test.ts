import { describe, expect, it } from "vitest";
import {
  type CallLimits,
  type ContactHours,
  type Finding,
  findCallCounts,
  findNightContact,
} from "../src/compliance/detectors.ts";
import { type ScopeReader, Scopes } from "../src/compliance/scopes.ts";
import { normalize } from "../src/text/normalize.ts";

/**
 * The two number detectors on their own: which clock time a sentence names and which band it falls
 * in, where the contact act may stand, and which call counts pass the daily limits. Input goes through
 * the same compact normalisation as in the engine (「，」 becomes |, 「。」 becomes #), and each finding
 * is shown as `severity:text it spans`, so a finding that starts or ends one character off shows.
 */

/** the shipped defaults (DEFAULT_SETTINGS, config CONTACT_* and DAILY_*) */
const HOURS: ContactHours = { blockFrom: 22, blockUntil: 8, warnFrom: 21 };
const LIMITS: CallLimits = { connected: 3, attempts: 6 };

type Scope = "whole" | "sentence";
/** the engine's scopes, or (whole) the whole text as the sentence around every position */
function scopeOf(text: string, scope: Scope): ScopeReader {
  const scopes = new Scopes(text);
  if (scope === "sentence") return scopes;
  return { of: (i, kind) => (kind === "clause" ? scopes.of(i, kind) : [0, text.length]) };
}
const shown = (text: string, found: Finding[]) =>
  found.map((f) => `${f.severity}:${text.slice(f.start, f.end)}`);

function night(raw: string, scope: Scope = "whole", hours: ContactHours = HOURS): string[] {
  const text = normalize(raw, { compact: true }).text;
  return shown(text, findNightContact(text, scopeOf(text, scope), hours));
}
function counts(raw: string, scope: Scope = "whole", limits: CallLimits = LIMITS): string[] {
  const text = normalize(raw, { compact: true }).text;
  return shown(text, findCallCounts(text, scopeOf(text, scope), limits));
}

type Row = [sentence: string, found: string[]];
const table = (rows: Row[], read: (s: string) => string[]) => {
  for (const [sentence, found] of rows) expect(read(sentence), sentence).toEqual(found);
};

describe("findNightContact: which hour a sentence names", () => {
  it("a night word puts 1–11 in the evening and 12 at midnight; a 24-hour time stays", () => {
    table(
      [
        ["晚上十点打给他", ["block:晚上十点打"]],
        ["晚上九点打给他", ["warn:晚上九点打"]],
        ["晚上八点打给他", []],
        ["晚上12点打给他", ["block:晚上12点打"]],
        ["晚上21点打给他", ["warn:晚上21点打"]],
        ["晚上23点打给他", ["block:晚上23点打"]],
      ],
      night,
    );
  });

  it("晚上 / 夜里 with one to four o'clock is the small hours, 傍晚 never is", () => {
    table(
      [
        ["晚上一点打给他", ["block:晚上一点打"]],
        ["夜里两点给他打电话", ["block:夜里两点给他打"]],
        ["夜里三点打给他", ["block:夜里三点打"]],
        ["夜里四点打给他", ["block:夜里四点打"]],
        ["晚上零点打给他", ["block:晚上零点打"]],
        ["晚上五点打给他", []],
        ["傍晚四点打给他", []],
      ],
      night,
    );
  });

  it("every night word counts as one", () => {
    for (const word of [
      "今天晚上",
      "明天晚上",
      "今晚",
      "明晚",
      "晚上",
      "夜里",
      "夜间",
      "夜晚",
      "傍晚",
      "晚间",
    ])
      expect(night(`${word}十一点打给他`), word).toEqual([`block:${word}十一点打`]);
  });

  it("an afternoon word puts 1–11 after noon, and noon stays noon", () => {
    table(
      [
        ["下午三点打给他", []],
        ["下午九点打给他", ["warn:下午九点打"]],
        ["中午12点打给他", []],
        ["中午1点打给他", []],
      ],
      night,
    );
    // a setting that warns from noon shows the period word is read as part of the time
    expect(night("中午12点打给他", "whole", { blockFrom: 22, blockUntil: 8, warnFrom: 12 })).toEqual([
      "warn:中午12点打",
    ]);
  });

  it("a small-hours word keeps 1–8, puts 9–11 before midnight, 12 and 24 at midnight", () => {
    table(
      [
        ["凌晨三点打给他", ["block:凌晨三点打"]],
        ["半夜两点给他打电话", ["block:半夜两点给他打"]],
        ["半夜12点打给他", ["block:半夜12点打"]],
        ["半夜十二点打给他", ["block:半夜十二点打"]],
        ["半夜24点给他打电话", ["block:半夜24点给他打"]],
        ["深夜十一点再打给他", ["block:深夜十一点再打"]],
        ["深夜23点再打给他", ["block:深夜23点再打"]],
        ["深夜九点打给他", ["warn:深夜九点打"]],
        ["凌晨八点打给他", []],
      ],
      night,
    );
    for (const word of ["凌晨", "半夜", "深夜", "午夜", "大半夜", "三更半夜"])
      expect(night(`${word}一点打给他`), word).toEqual([`block:${word}一点打`]);
  });

  it("a morning word keeps the hour as it is", () => {
    table(
      [
        ["早上六点打给他", ["block:早上六点打"]],
        ["早上八点打给他", []],
        ["上午十点打给他", []],
        ["早上12点打给他", []],
      ],
      night,
    );
    for (const word of ["明天早上", "明早", "早上", "早晨", "清晨", "一早", "大早", "上午", "早"])
      expect(night(`${word}六点打给他`), word).toEqual([`block:${word}六点打`]);
  });

  it("without a period word 1–6 means the afternoon (office talk), 0 and 7 on as they are", () => {
    table(
      [
        ["五点前打给他", []],
        ["一点打给他", []],
        ["六点打给他", []],
        ["七点打给他", ["block:七点打"]],
        ["零点打给他", ["block:零点打"]],
        ["12点打给他", []],
        ["24点打给他", ["block:24点打"]],
      ],
      night,
    );
  });

  it("大约 / 大概 may stand between the period word and the hour", () => {
    table(
      [
        ["晚上大概十一点打给他", ["block:晚上大概十一点打"]],
        ["晚上大约11点打给他", ["block:晚上大约11点打"]],
        ["今晚约十一点打给他", ["block:今晚约十一点打"]],
      ],
      night,
    );
  });

  it("an hour above 24 is no clock time", () => {
    table(
      [
        ["信用分扣了30点，打电话提醒他", []],
        ["信用分扣了三十点，打电话提醒他", []],
      ],
      night,
    );
  });

  it("点钟, 时 and the colon form are clock times too", () => {
    table(
      [
        ["晚上十点钟打给他", ["block:晚上十点钟打"]],
        ["22时30分致电客户", ["block:22时30分致电"]],
        ["21:30打给他", ["warn:21:30打"]],
        ["晚上11点打给他", ["block:晚上11点打"]],
      ],
      night,
    );
  });
});

describe("findNightContact: the band edges to the minute", () => {
  it("the warn band starts at warnFrom, the block band at blockFrom", () => {
    table(
      [
        ["晚上八点五十九分打给他", []],
        ["晚上九点打给他", ["warn:晚上九点打"]],
        ["晚上九点五十九分打给他", ["warn:晚上九点五十九分打"]],
        ["晚上九点五十九打给他", ["warn:晚上九点五十九打"]],
        ["晚上十点打给他", ["block:晚上十点打"]],
        ["21:59打给他", ["warn:21:59打"]],
        ["22:00打给他", ["block:22:00打"]],
      ],
      night,
    );
  });

  it("the morning block band ends at blockUntil", () => {
    table(
      [
        ["早上七点五十九打给他", ["block:早上七点五十九打"]],
        ["早上七点五十九分打给他", ["block:早上七点五十九分打"]],
        ["7:59打给他", ["block:7:59打"]],
        ["早上八点打给他", []],
        ["8:00打给他", []],
      ],
      night,
    );
  });

  it("前 / 以前 / 之前 means one minute earlier, across the hour and across midnight", () => {
    table(
      [
        ["早上八点前打给他", ["block:早上八点前打"]],
        ["晚上十点前打给他", ["warn:晚上十点前打"]],
        ["晚上十点以前打给他", ["warn:晚上十点以前打"]],
        ["晚上十点之前打给他", ["warn:晚上十点之前打"]],
        ["零点前打给他", ["block:零点前打"]],
        ["晚上九点前打给他", []],
        ["8:30前打给他", []],
      ],
      night,
    );
  });

  it("with the block band switched off (blockFrom 24, blockUntil 0) the warn band ends at midnight", () => {
    const noBlock = (s: string) => night(s, "whole", { blockFrom: 24, blockUntil: 0, warnFrom: 21 });
    table(
      [
        ["晚上十一点打给他", ["warn:晚上十一点打"]],
        ["零点前打给他", ["warn:零点前打"]],
        ["24点打给他", []],
        ["0:01前打给他", []],
        ["0:30前打给他", []],
        ["凌晨一点打给他", []],
      ],
      noBlock,
    );
  });

  it("half, a quarter and N minutes count before a 前", () => {
    table(
      [
        ["晚上十点半前打给他", ["block:晚上十点半前打"]],
        ["晚上十点一刻前打给他", ["block:晚上十点一刻前打"]],
        ["晚上十点十分前打给他", ["block:晚上十点十分前打"]],
        ["晚上十点零五前打给他", ["block:晚上十点零五前打"]],
        ["22:10前打给他", ["block:22:10前打"]],
      ],
      night,
    );
  });

  it("后 / 以后 / 之后 leave the time as it is", () => {
    table(
      [
        ["晚上十点后打给他", ["block:晚上十点后打"]],
        ["晚上十点以后打给他", ["block:晚上十点以后打"]],
        ["晚上十点之后打给他", ["block:晚上十点之后打"]],
        ["晚上九点以后打给他", ["warn:晚上九点以后打"]],
      ],
      night,
    );
  });

  it("with the act before the time, the finding ends where the whole time expression ends", () => {
    table(
      [
        ["给他打电话，晚上十点半", ["block:打电话|晚上十点半"]],
        ["给他打电话，晚上十点一刻", ["block:打电话|晚上十点一刻"]],
        ["给他打电话，晚上九点五十九", ["warn:打电话|晚上九点五十九"]],
        ["给他打电话，晚上九点五十九分", ["warn:打电话|晚上九点五十九分"]],
        ["给他打电话，晚上十点钟", ["block:打电话|晚上十点钟"]],
        ["给他打电话，晚上十点以后", ["block:打电话|晚上十点以后"]],
        ["给他打电话，晚上十点之后", ["block:打电话|晚上十点之后"]],
        ["给他打电话，晚上十点后", ["block:打电话|晚上十点后"]],
        ["给他打电话，晚上十点前", ["warn:打电话|晚上十点前"]],
      ],
      night,
    );
  });
});

describe("findNightContact: the contact act", () => {
  it("a night time with no contact act is no finding", () => {
    table(
      [
        ["晚上十一点我才到家", []],
        ["今晚十一点以后再说", []],
      ],
      night,
    );
  });

  it("after the time: the finding ends at the end of the first act", () => {
    table(
      [
        ["今晚十一点再给他发微信", ["block:今晚十一点再给他发微信"]],
        ["打给他，今晚十一点再发微信", ["block:今晚十一点再发微信"]],
      ],
      night,
    );
  });

  it("before the time: the finding starts at the first act before it", () => {
    expect(night("先别急。记得给他打电话，今晚十一点", "sentence")).toEqual(["block:打电话|今晚十一点"]);
    expect(night("先别急。记得给他打电话，今晚十一点", "whole")).toEqual(["block:打电话|今晚十一点"]);
  });

  it("the act after the time stands at most 30 characters from it", () => {
    const filler = "等他下班到家吃完饭洗完澡哄完孩子睡下估摸着也差不多了"; // 26
    expect(filler.length).toBe(26);
    expect(night(`今晚十一点${filler}我再拨`)).toEqual([`block:今晚十一点${filler}我再拨`]); // 拨 at +28
    expect(night(`今晚十一点${filler}我们再拨`)).toEqual([`block:今晚十一点${filler}我们再拨`]); // +29
    expect(night(`今晚十一点${filler}我们俩再拨`)).toEqual([]); // +30
  });

  it("the act before the time stands at most 30 characters from it", () => {
    const filler = "过去等他下班到家吃完饭洗完澡哄完孩子睡下估摸着也就"; // 25
    expect(filler.length).toBe(25);
    expect(night(`拨给他不急${filler}今晚十一点`)).toEqual([`block:拨给他不急${filler}今晚十一点`]); // -30
    expect(night(`拨给他不太急${filler}今晚十一点`)).toEqual([]); // -31
  });

  it("the act must stand in the same scope as the time", () => {
    expect(night("今晚十一点我还在加班。明天再打给他", "sentence")).toEqual([]);
    expect(night("今晚十一点我还在加班。明天再打给他", "whole")).toEqual([
      "block:今晚十一点我还在加班#明天再打",
    ]);
    expect(night("打给他了。今晚十一点我在家", "sentence")).toEqual([]);
    expect(night("打给他了。今晚十一点我在家", "whole")).toEqual(["block:打给他了#今晚十一点"]);
  });

  it("every contact act counts", () => {
    table(
      [
        ["今晚十一点打给他", ["block:今晚十一点打"]],
        ["今晚十一点再拨一次", ["block:今晚十一点再拨"]],
        ["今晚十一点联系他", ["block:今晚十一点联系"]],
        ["今晚十一点致电客户", ["block:今晚十一点致电"]],
        ["今晚十一点发短信", ["block:今晚十一点发短信"]],
        ["今晚十一点发个信息", ["block:今晚十一点发个信息"]],
        ["今晚十一点留个消息", ["block:今晚十一点留个消息"]],
        ["今晚十一点发微信", ["block:今晚十一点发微信"]],
        ["今晚十一点上门", ["block:今晚十一点上门"]],
        ["今晚十一点外访", ["block:今晚十一点外访"]],
        ["今晚十一点外呼", ["block:今晚十一点外呼"]],
        ["今晚十一点再催一下", ["block:今晚十一点再催"]],
        ["今晚十一点回个电话", ["block:今晚十一点回个电话"]],
        ["今晚11点再call他", ["block:今晚11点再call"]],
        ["今晚十一点回访", ["block:今晚十一点回访"]],
        ["今晚十一点去找他", ["block:今晚十一点去找他"]],
        ["今晚十一点我去找你", ["block:今晚十一点我去找你"]],
        ["今晚十一点发送提醒", ["block:今晚十一点发送"]],
      ],
      night,
    );
  });

  it("打 in words that are no call is no contact act", () => {
    for (const rest of [
      "打算睡觉",
      "打折结束",
      "打印合同",
      "打开电脑",
      "打工回来",
      "打车回家",
      "打球回来",
      "打卡下班",
      "打造团队",
      "打包行李",
      "打架了",
      "打扮一下",
      "打听一下",
      "打理账目",
      "打发时间",
    ])
      expect(night(`晚上十一点${rest}`), rest).toEqual([]);
  });
});

describe("findNightContact: 凌晨 / 半夜 without a clock time", () => {
  it("blocks with a contact act, spanning the word and the act", () => {
    for (const word of ["凌晨", "半夜", "深夜", "午夜", "大半夜", "三更半夜"])
      expect(night(`${word}打给他`), word).toEqual([`block:${word}打`]);
    expect(night("半夜给他发消息")).toEqual(["block:半夜给他发消息"]);
    expect(night("半夜再打一次")).toEqual(["block:半夜再打"]);
    expect(night("凌晨到家了")).toEqual([]);
  });

  it("followed by a numeral it is a clock time, read once", () => {
    for (const n of ["3", "零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "十二"])
      expect(night(`凌晨${n}点打给他`), n).toEqual([`block:凌晨${n}点打`]);
    expect(night("凌晨八点打给他")).toEqual([]);
    expect(night("深夜九点打给他")).toEqual(["warn:深夜九点打"]);
  });
});

describe("findCallCounts: the limits", () => {
  it("more than `connected` warns, more than `attempts` blocks", () => {
    table(
      [
        ["一天三通电话", []],
        ["一天四通电话", ["warn:一天四通"]],
        ["一天六通电话", ["warn:一天六通"]],
        ["一天七通电话", ["block:一天七通"]],
      ],
      counts,
    );
  });

  it("a stated cap only lifts the warn band", () => {
    table(
      [
        ["一天最多六通电话", []],
        ["一天最多四通电话", []],
        ["一天最多七通电话", ["block:一天最多七通"]],
        ["一天不超过五通电话", []],
        ["电话一天上限五通", []],
        ["一天五通电话以内", []],
        ["一天至多五通电话", []],
        ["一天五通电话", ["warn:一天五通"]],
      ],
      counts,
    );
  });

  it("a cap is said of the count in its own clause, not of another count", () => {
    table(
      [
        ["按规定最多打三次，今天给他打了四次电话", ["warn:今天给他打了四次"]],
        ["公司规定每天最多打三次。今天给他打了五次电话", ["warn:今天给他打了五次"]],
        ["今天给他打了五次电话，以后最多打三次", ["warn:今天给他打了五次"]],
        ["今天给他打电话不超过五次", []],
        ["按公司规定，每天给他打五次以内", []],
      ],
      counts,
    );
  });

  it("a count an hour is taken eight times", () => {
    table(
      [
        ["一小时一通电话", ["block:一小时一通"]],
        ["每小时一通电话", ["block:每小时一通"]],
        ["一个小时一通电话", ["block:一个小时一通"]],
        ["一天两通电话", []],
      ],
      counts,
    );
  });

  it("every period word and every unit reads a count", () => {
    for (const word of [
      "一天",
      "每天",
      "每日",
      "天天",
      "一日",
      "当天",
      "今天",
      "一上午",
      "一下午",
      "一晚上",
      "一晚",
    ])
      expect(counts(`${word}十个电话`), word).toEqual([`block:${word}十个`]);
    for (const unit of ["个", "次", "通", "遍", "回"])
      expect(counts(`一天电话十${unit}`), unit).toEqual([`block:一天电话十${unit}`]);
    expect(counts("一天短信十条")).toEqual(["block:一天短信十条"]);
    expect(counts("一天短信十封")).toEqual(["block:一天短信十封"]);
  });

  it("the count on the call itself: 拨满三十次, 打了十个", () => {
    table(
      [
        ["拨满三十次", ["block:拨满三十次"]],
        ["打了十个", ["block:打了十个"]],
        ["打够八通", ["block:打够八通"]],
        ["外呼上十遍", ["block:呼上十遍"]],
        ["拨十回", ["block:拨十回"]],
        ["打了五个", ["warn:打了五个"]],
        ["打了三个", []],
      ],
      counts,
    );
  });
});

describe("findCallCounts: people are not calls", () => {
  it("a number of customers or people called is no count of calls to one debtor", () => {
    table(
      [
        ["今天把逾期名单上的十个客户都打了电话", []],
        ["一天打了十个客户", []],
        ["今天打了二十个人的电话", []],
        ["一天打十个号码", []],
        ["一天给他打十个电话", ["block:一天给他打十个"]],
        ["今天已经打了十个了", ["block:今天已经打了十个"]],
      ],
      counts,
    );
  });
});

describe("findCallCounts: where the count stands", () => {
  it("a count read twice is one finding; counts side by side are two", () => {
    table(
      [
        ["一天打了十次电话", ["block:一天打了十次"]],
        ["每天打十次 拨十次", ["block:每天打十次", "block:拨十次"]],
        ["昨天打够八次今天打了十个", ["block:今天打了十个", "block:打够八次"]],
        ["一天十通电话，每天发四条短信", ["block:一天十通", "warn:每天发四条"]],
      ],
      counts,
    );
  });

  it("the count is the first number within eight characters of the period word, in the same clause and sentence", () => {
    table(
      [
        ["一天十通电话只接通两通", ["block:一天十通"]],
        ["一天给那个号码连着拨十次", ["block:一天给那个号码连着拨十次"]],
        ["今天上午把逾期名单上的十个客户都打电话了", []],
        ["每天早会，十个人一起打电话", []],
        ["每天都很忙。十个电话打不完", []],
      ],
      counts,
    );
  });

  it("needs a call word near it, in the same scope", () => {
    table(
      [
        ["一天跑十个客户", []],
        ["一天十条短信", ["block:一天十条"]],
        ["一天十条信息", ["block:一天十条"]],
        ["一天十条消息", ["block:一天十条"]],
        ["一天call十次", ["block:一天call十次"]],
        ["一天外呼十次", ["block:一天外呼十次"]],
        ["一天拨号十次", ["block:一天拨号十次"]],
        ["一天十个，打到他接为止", ["block:一天十个"]],
      ],
      counts,
    );
    expect(counts("老板说了一天十个。你去打电话", "sentence")).toEqual([]);
    expect(counts("老板说了一天十个。你去打电话", "whole")).toEqual(["block:一天十个"]);
    expect(counts("电话先放着。今天十次", "sentence")).toEqual([]);
    expect(counts("电话先放着。今天十次", "whole")).toEqual(["block:今天十次"]);
  });

  it("the call word stands at most 30 characters from the count", () => {
    const filler = "的量是老板定的我也没办法你自己看着办吧反正月底要交差"; // 26
    expect(filler.length).toBe(26);
    expect(counts(`一天十个${filler}我去拨`)).toEqual(["block:一天十个"]); // 拨 at +28
    expect(counts(`一天十个${filler}我们去拨`)).toEqual(["block:一天十个"]); // +29
    expect(counts(`一天十个${filler}我们俩去拨`)).toEqual([]); // +30
    expect(counts(`拨吧我${filler}一天十个`)).toEqual(["block:一天十个"]); // -29
    expect(counts(`拨吧我们${filler}一天十个`)).toEqual(["block:一天十个"]); // -30
    expect(counts(`拨吧我们俩${filler}一天十个`)).toEqual([]); // -31
  });
});
