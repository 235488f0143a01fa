import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createBot } from "../src/bot/index.ts";
import { silentLogger } from "../src/bot/logger.ts";
import { Coach } from "../src/core/coach.ts";
import { systemClock } from "../src/scheduler/time.ts";
import { createStorage } from "../src/storage/index.ts";
import { BOT_INFO, FakeBotApi } from "../tests/bot/fake-api.ts";
import { collector } from "../tests/bot/people.ts";
import { deleteNamespace } from "../tests/multi/namespace.ts";
import { BENCH_TOKEN, benchSettings } from "./settings.ts";

const QUESTIONS = [
  "客户说没钱怎么办",
  "客户说下个月发工资再还",
  "客户骂人怎么办",
  "客户说要投诉我",
  "客戶說沒錢怎麼辦",
];
const USERS = 200;
const UPDATES = 2000;
const IN_FLIGHT = 64;

function startInstance(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", new URL("./cluster-instance.ts", import.meta.url).pathname],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`instance exited ${code}`)));
  });
}

/** Updates/s through N webhook instances (separate processes) on one Redis. */
async function measure(n: number, api: FakeBotApi): Promise<number> {
  const namespace = `bench-${randomUUID()}`;
  const storage = await createStorage({ dataDir: "unused", redisUrl: process.env.REDIS_URL, namespace });
  for (let id = 10_000; id < 10_000 + USERS; id++) await storage.users.put(collector(id, "北区"));
  await storage.close();
  const ports = Array.from({ length: n }, (_, i) => 18_000 + i);
  const children = await Promise.all(
    ports.map((p) => startInstance({ API_URL: api.url, NAMESPACE: namespace, PORT: String(p) })),
  );
  const post = (i: number) => {
    const id = 10_000 + (i % USERS);
    return fetch(`http://127.0.0.1:${ports[i % n]}/telegram`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": "bench-secret-0123456789",
      },
      body: JSON.stringify({
        update_id: i + 1,
        message: {
          message_id: i + 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id, type: "private", first_name: "u" },
          from: { id, is_bot: false, first_name: "u", language_code: "zh-hans" },
          text: QUESTIONS[i % QUESTIONS.length],
        },
      }),
    }).then((r) => r.arrayBuffer());
  };
  // warm-up, then the measured run
  for (let i = 0; i < 100; i++) await post(UPDATES * 10 + i);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < UPDATES) await post(next++);
    }),
  );
  const rate = UPDATES / ((performance.now() - t0) / 1000);
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  await deleteNamespace(namespace);
  return rate;
}

const TIP_MEMBERS = Number(process.env.BENCH_TIP_MEMBERS ?? 10_000);
const TIP_RATE = 30;

/**
 * A 10k-member tip delivered by two instances (separate processes) working the shared queue at
 * BROADCAST_RATE 30: time from queueing to the sender's report, against the ideal members / rate.
 */
async function measureTip(api: FakeBotApi): Promise<{ seconds: number; ideal: number; peak: number }> {
  const namespace = `bench-tip-${randomUUID()}`;
  const storage = await createStorage({ dataDir: "unused", redisUrl: process.env.REDIS_URL, namespace });
  const members = Array.from({ length: TIP_MEMBERS }, (_, i) => 100_000 + i);
  for (let i = 0; i < members.length; i += 500)
    await Promise.all(members.slice(i, i + 500).map((id) => storage.users.put(collector(id, "北区"))));
  const ports = [18_100, 18_101];
  const children = await Promise.all(
    ports.map((p) => startInstance({ API_URL: api.url, NAMESPACE: namespace, PORT: String(p) })),
  );
  // the sender's instance: queues the job (its own worker idle), as /tip does
  const producer = createBot(
    BENCH_TOKEN,
    {
      config: benchSettings(TIP_RATE),
      coach: new Coach(),
      storage,
      quiz: [],
      logger: silentLogger,
      clock: systemClock,
    },
    { botInfo: BOT_INFO, apiRoot: api.url, autoRetry: false },
  );
  const t0 = performance.now();
  const from = Date.now();
  const job = await producer.broadcaster.enqueue({
    senderId: 1,
    senderChatId: 1,
    text: "本周重点：承诺还款要落到具体日期。",
    allowWarn: false,
    recipients: members,
  });
  while (!api.sent("sendMessage", 1).length) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - t0) / 1000;
  const report = await storage.jobs.report(job.id);
  if (report?.sent !== TIP_MEMBERS) throw new Error(`tip bench: ${JSON.stringify(report)}`);
  const times = api
    .sent("sendMessage")
    .filter((c) => c.at >= from && Number(c.payload.chat_id) >= 100_000)
    .map((c) => c.at);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  await producer.broadcaster.stop();
  await storage.close();
  await deleteNamespace(namespace);
  return { seconds, ideal: TIP_MEMBERS / TIP_RATE, peak };
}

export async function runClusterBench(): Promise<void> {
  if (!process.env.REDIS_URL) {
    console.log("cluster: skipped (set REDIS_URL)");
    return;
  }
  const api = await new FakeBotApi().start();
  if (process.env.BENCH_UPDATES !== "0") {
    const one = await measure(1, api);
    const two = await measure(2, api);
    console.log(
      `cluster (webhook, Redis, ${UPDATES} asks, ${IN_FLIGHT} in flight): 1 instance ${one.toFixed(0)} updates/s · 2 instances ${two.toFixed(0)} updates/s (×${(two / one).toFixed(2)}, target ≥ 1.6)`,
    );
  }
  if (process.env.BENCH_TIP !== "0") {
    const tip = await measureTip(api);
    console.log(
      `cluster tip (${TIP_MEMBERS} members, BROADCAST_RATE ${TIP_RATE}, 2 instances on the queue): ${tip.seconds.toFixed(1)} s vs ideal ${tip.ideal.toFixed(1)} s, ratio ${(tip.seconds / tip.ideal).toFixed(3)} (target ≤ 1.05); busiest 1-s window ${tip.peak} messages`,
    );
  }
  await api.stop();
}
