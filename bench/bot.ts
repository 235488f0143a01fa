import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { run } from "@grammyjs/runner";
import type { Update } from "grammy/types";
import { ALLOWED_UPDATES, createBot } from "../src/bot/index.ts";
import { silentLogger } from "../src/bot/logger.ts";
import { loadQuizBank } from "../src/bot/quiz-bank.ts";
import { Coach } from "../src/core/coach.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../src/knowledge/load.ts";
import { systemClock } from "../src/scheduler/time.ts";
import { createStorage } from "../src/storage/index.ts";
import { BOT_INFO, FakeBotApi } from "../tests/bot/fake-api.ts";
import { collector } from "../tests/bot/people.ts";
import { BENCH_TOKEN, benchSettings } from "./settings.ts";

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

/** The fake Bot API in a worker thread: push updates, resolve once every one has been answered. */
async function startApiWorker() {
  const file = JSON.stringify(new URL("./fake-api-worker.ts", import.meta.url).href);
  // a worker does not inherit tsx's loader: register it, then load the TypeScript module
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${file}); })`;
  const worker = new Worker(boot, { eval: true });
  const url = await new Promise<string>((resolve) =>
    worker.once("message", (m: { url: string }) => resolve(m.url)),
  );
  return {
    url,
    push(updates: Update[]): Promise<void> {
      const answered = new Promise<void>((resolve) => worker.once("message", () => resolve()));
      worker.postMessage({ kind: "push", updates });
      return answered;
    },
    async stop() {
      worker.postMessage({ kind: "stop" });
      await new Promise((r) => worker.once("exit", r));
    },
  };
}

/** Updates/s over long polling against the local fake Bot API, 10,000-member tip time vs members/rate, peak memory. */
export async function runBotBench(): Promise<void> {
  const updatesN = Number(process.env.BENCH_UPDATES ?? 3000);
  const members = Number(process.env.BENCH_TIP_MEMBERS ?? 10000);
  const rate = Number(process.env.BENCH_TIP_RATE ?? 30);
  const dir = mkdtempSync(join(tmpdir(), "coach-bench-"));
  const api = await new FakeBotApi().start();
  const storage = await createStorage({ dataDir: dir });
  const coach = new Coach();
  const config = benchSettings(rate);
  const quiz = loadQuizBank(DEFAULT_KNOWLEDGE_DIR, coach, silentLogger);
  const deps = { config, coach, storage, quiz, logger: silentLogger, clock: systemClock };
  const senders = 200;
  for (let i = 0; i < senders; i++) await storage.users.put(collector(10_000 + i, "bench"));

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
  const server = await startApiWorker();
  const bot = createBot(BENCH_TOKEN, deps, { botInfo: BOT_INFO, apiRoot: server.url }).bot;
  const t0 = performance.now();
  const allAnswered = server.push(updates);
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  await allAnswered;
  const secs = (performance.now() - t0) / 1000;
  await runner.stop();
  await server.stop();
  console.log(
    `bot: ${updatesN} updates (ask) over long polling in ${secs.toFixed(2)} s → ${(updatesN / secs).toFixed(0)} updates/s (target ≥ 300)`,
  );

  // 2. a tip to 10,000 members at the highest rate the config accepts (BROADCAST_RATE ≤ 30/s),
  //    then a short run far above Telegram's limits to show the delivery loop's own ceiling
  const tip = async (label: string, count: number, perSecond: number, firstId: number) => {
    for (let i = 0; i < count; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, count - i) }, (_, k) =>
          storage.users.put(collector(firstId + i + k, label)),
        ),
      );
    }
    const tipApp = createBot(
      BENCH_TOKEN,
      { ...deps, config: { ...config, BROADCAST_RATE: perSecond } },
      {
        botInfo: BOT_INFO,
        apiRoot: api.url,
      },
    );
    const t1 = performance.now();
    const job = await tipApp.broadcaster.enqueue({
      senderId: 1,
      senderChatId: 1,
      text: "📣 <b>主管提示</b>\n\n今天重点跟进承诺还款的客户，记得核实还款日期。",
      allowWarn: false,
      recipients: Array.from({ length: count }, (_, i) => firstId + i),
    });
    const report = await tipApp.broadcaster.wait(job.id);
    await tipApp.broadcaster.stop();
    return { secs: (performance.now() - t1) / 1000, report };
  };
  const target = await tip("all", members, rate, 100_000);
  const ideal = members / rate;
  console.log(
    `bot: tip to ${members} members at ${rate}/s in ${target.secs.toFixed(2)} s, ideal ${ideal.toFixed(2)} s → ratio ${(target.secs / ideal).toFixed(3)} (target ≤ 1.05); sent ${target.report?.sent}, failed ${target.report?.failed}`,
  );
  const ceiling = await tip("stress", 2000, 1000, 500_000);
  console.log(
    `bot: delivery ceiling (2,000 members configured at 1,000/s, beyond Telegram's limits): ${(2000 / ceiling.secs).toFixed(0)} messages/s with a durable status write per message`,
  );
  console.log(
    `bot: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
  );
  await storage.close();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
