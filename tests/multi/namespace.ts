import { Redis } from "ioredis";

/** Delete every key of a namespace (the store's `<ns>::…` keys and the delivery queue's). No vitest here: benchmarks use it. */
export async function deleteNamespace(namespace: string): Promise<void> {
  const r = new Redis(process.env.REDIS_URL!);
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", `${namespace}::*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== "0");
  await r.quit();
}
