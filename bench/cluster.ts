import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createStorage } from "../src/storage/index.ts";
import { FakeBotApi } from "../tests/bot/fake-api.ts";
import { collector } from "../tests/bot/helpers.ts";
import { deleteNamespace } from "../tests/multi/cluster.ts";

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

export async function runClusterBench(): Promise<void> {
  if (!process.env.REDIS_URL) {
    console.log("cluster: skipped (set REDIS_URL)");
    return;
  }
  const api = await new FakeBotApi().start();
  const one = await measure(1, api);
  const two = await measure(2, api);
  await api.stop();
  console.log(
    `cluster (webhook, Redis, ${UPDATES} asks, ${IN_FLIGHT} in flight): 1 instance ${one.toFixed(0)} updates/s · 2 instances ${two.toFixed(0)} updates/s (×${(two / one).toFixed(2)})`,
  );
}
