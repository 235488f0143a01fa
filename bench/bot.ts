import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "@grammyjs/runner";
import type { Update } from "grammy/types";
import { ALLOWED_UPDATES, createBot } from "../src/bot/index.ts";
import { silentLogger } from "../src/bot/logger.ts";
import { loadQuizBank } from "../src/bot/quiz-bank.ts";
import { Coach } from "../src/core/coach.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../src/knowledge/load.ts";
import { systemClock } from "../src/scheduler/time.ts";
import { createStorage } from "../src/storage/index.ts";
import { newUser, type User } from "../src/storage/users.ts";
import { BOT_INFO, FakeBotApi } from "../tests/bot/fake-api.ts";

const QUESTIONS = [
  "客户说没钱怎么办",
  "客户说下个月发工资再还",
  "客户骂人怎么办",
  "客户说要投诉我",
  "客户说已经还过了",
  "客户说利息太高不还",
  "客户说卡是别人办的",
  "客户一直不接电话",
  "客户说在开会晚点再说",
  "客户说生病住院了",
  "客戶說沒錢怎麼辦",
  "客户让我找律师谈",
  "怎么跟客户谈分期",
  "客户的家人接了电话怎么说",
  "客户说有种你来抓我",
];

const user = (id: number, team: string): User =>
  newUser({
    id,
    role: "collector",
    team,
    name: `m${id}`,
    locale: "zh-CN",
    now: new Date(),
    dailyTime: "09:00",
  });

/** Updates/s over long polling against the local fake Bot API, 10,000-member tip time vs members/rate, peak memory. */
export async function runBotBench(): Promise<void> {
  const updatesN = Number(process.env.BENCH_UPDATES ?? 3000);
  const members = Number(process.env.BENCH_TIP_MEMBERS ?? 10000);
  const rate = Number(process.env.BENCH_TIP_RATE ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), "coach-bench-"));
  const api = await new FakeBotApi().start();
  const storage = await createStorage({ dataDir: dir });
  const coach = new Coach();
  const config = {
    ADMIN_IDS: [1],
    TIMEZONE: "Asia/Shanghai",
    DAILY_DEFAULT_TIME: "09:00",
    INVITE_TTL_HOURS: 72,
    FLOOD_LIMIT_PER_MINUTE: 1_000_000,
    MAX_INPUT_CHARS: 1000,
    BROADCAST_RATE: rate,
  };
  const quiz = loadQuizBank(DEFAULT_KNOWLEDGE_DIR, coach, silentLogger);
  const app = createBot(
    "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz",
    { config, coach, storage, quiz, logger: silentLogger, clock: systemClock },
    { botInfo: BOT_INFO, apiRoot: api.url },
  );
  const senders = 200;
  for (let i = 0; i < senders; i++) await storage.users.put(user(10_000 + i, "bench"));

  // 1. updates per second: questions from 200 users over getUpdates, until every answer is sent
  const updates: Update[] = Array.from({ length: updatesN }, (_, i) => {
    const id = 10_000 + (i % senders);
    return {
      update_id: i + 1,
      message: {
        message_id: i + 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id, type: "private", first_name: "m" },
        from: { id, is_bot: false, first_name: "m" },
        text: QUESTIONS[i % QUESTIONS.length]!,
      },
    } as Update;
  });
  let answered = 0;
  let done!: () => void;
  const allAnswered = new Promise<void>((r) => {
    done = r;
  });
  const off = api.onCall((c) => {
    if (c.method === "sendMessage" && ++answered === updatesN) done();
  });
  const t0 = performance.now();
  api.pushUpdates(updates);
  const runner = run(app.bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  await allAnswered;
  const secs = (performance.now() - t0) / 1000;
  off();
  await runner.stop();
  console.log(
    `bot: ${updatesN} updates (ask) over long polling in ${secs.toFixed(2)} s → ${(updatesN / secs).toFixed(0)} updates/s (target ≥ 300)`,
  );

  // 2. a tip to 10,000 members at the configured rate
  for (let i = 0; i < members; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, members - i) }, (_, k) =>
        storage.users.put(user(100_000 + i + k, "all")),
      ),
    );
  }
  const recipients = Array.from({ length: members }, (_, i) => 100_000 + i);
  const t1 = performance.now();
  const job = await app.broadcaster.enqueue({
    senderId: 1,
    senderChatId: 1,
    text: "📣 <b>主管提示</b>\n\n今天重点跟进承诺还款的客户，记得核实还款日期。",
    allowWarn: false,
    recipients,
  });
  const report = await app.broadcaster.wait(job.id);
  const tipSecs = (performance.now() - t1) / 1000;
  const ideal = members / rate;
  console.log(
    `bot: tip to ${members} members at ${rate}/s in ${tipSecs.toFixed(2)} s, ideal ${ideal.toFixed(2)} s → ratio ${(tipSecs / ideal).toFixed(3)} (target ≤ 1.05); sent ${report?.sent}, failed ${report?.failed}`,
  );
  console.log(
    `bot: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
  );
  await app.broadcaster.stop();
  await storage.close();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await runBotBench();
