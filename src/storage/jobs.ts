import { randomBytes } from "node:crypto";
import type { Kv } from "./kv.ts";

/**
 * inflight: written just before the send; retry: known not delivered yet (429, network);
 * unknown: found in flight after its sender died, so it may have gone out and is not resent
 */
export type DeliveryStatus = "inflight" | "retry" | "sent" | "failed" | "inactive" | "unknown";

export interface TipJob {
  id: string;
  senderId: number;
  senderChatId: number;
  /** Telegram-HTML text, already through the compliance guard */
  text: string;
  /** the sender confirmed a text the guard warned about */
  allowWarn: boolean;
  recipients: number[];
  createdAt: string;
  status: "running" | "done";
  finishedAt?: string;
}

/** A recipient nothing has gone out to yet: no status, or a known retry (429, network). */
export const notSentYet = (s: DeliveryStatus | undefined): boolean => s === undefined || s === "retry";

/** A new durable tip job, running, with a fresh id. */
export function newTipJob(input: Omit<TipJob, "id" | "createdAt" | "status">, now: Date): TipJob {
  return {
    ...input,
    id: randomBytes(6).toString("base64url"),
    createdAt: now.toISOString(),
    status: "running",
  };
}

export interface DeliveryReport {
  sent: number;
  failed: number;
  inactive: number;
  /** in flight when the process died: not resent, to never send twice */
  unknown: number;
  total: number;
}

const ACTIVE = "jobs:active";
const jobKey = (id: string) => `job:${id}`;
const recKey = (id: string, uid: number) => `job:${id}:r:${uid}`;
const KEEP_MS = 30 * 24 * 3600_000;

/** Durable broadcast jobs: the job, then one status key per recipient. */
export class JobRepo {
  constructor(private readonly kv: Kv) {}

  async create(job: TipJob): Promise<void> {
    await this.kv.set(jobKey(job.id), job, KEEP_MS);
    await this.kv.sadd(ACTIVE, job.id);
  }

  get(id: string): Promise<TipJob | undefined> {
    return this.kv.get<TipJob>(jobKey(id));
  }

  async active(): Promise<TipJob[]> {
    const ids = await this.kv.smembers(ACTIVE);
    const jobs = await this.kv.getMany<TipJob>(ids.map(jobKey));
    return jobs.filter((j): j is TipJob => !!j && j.status === "running");
  }

  async statuses(id: string, recipients: number[]): Promise<Array<DeliveryStatus | undefined>> {
    const out: Array<DeliveryStatus | undefined> = [];
    for (let i = 0; i < recipients.length; i += 1000) {
      out.push(
        ...(await this.kv.getMany<DeliveryStatus>(recipients.slice(i, i + 1000).map((u) => recKey(id, u)))),
      );
    }
    return out;
  }

  async mark(id: string, entries: Array<[number, DeliveryStatus]>): Promise<void> {
    await this.kv.setMany(entries.map(([uid, value]) => ({ key: recKey(id, uid), value, ttl: KEEP_MS })));
  }

  status(id: string, uid: number): Promise<DeliveryStatus | undefined> {
    return this.kv.get<DeliveryStatus>(recKey(id, uid));
  }

  /**
   * Claim one recipient's send: true for exactly one caller, and only when nothing went out yet
   * (no status, or a known retry). Written before the message goes out, so a sender that dies
   * mid-send leaves "inflight" behind and the message is never sent twice.
   */
  async claimSend(id: string, uid: number): Promise<boolean> {
    let claimed = false;
    await this.kv.update<DeliveryStatus>(
      recKey(id, uid),
      (cur) => {
        claimed = notSentYet(cur);
        return claimed ? "inflight" : cur;
      },
      KEEP_MS,
    );
    return claimed;
  }

  /**
   * Count a recipient as settled (idempotent). True for exactly one caller, once every recipient
   * of the job is settled: that caller finishes the job and reports to the sender.
   */
  async settle(job: TipJob, uid: number): Promise<boolean> {
    await this.kv.sadd(`job:${job.id}:settled`, String(uid));
    if ((await this.kv.scard(`job:${job.id}:settled`)) < job.recipients.length) return false;
    return this.kv.claim(`job:${job.id}:reported`, KEEP_MS);
  }

  async finish(id: string, at: Date): Promise<void> {
    await this.kv.update<TipJob>(
      jobKey(id),
      (j) => (j ? { ...j, status: "done", finishedAt: at.toISOString() } : j),
      KEEP_MS,
    );
    await this.kv.srem(ACTIVE, id);
    await this.kv.delete(`job:${id}:settled`);
  }

  /**
   * Take or renew the lease on a job for `owner`: only the holder delivers it, so an instance
   * starting (or resuming) while another runs the job leaves it alone. Expires after ms unless
   * renewed, so the job moves to another instance when its runner dies. Atomic across instances.
   */
  async lease(id: string, owner: string, ms: number): Promise<boolean> {
    // the embedded store belongs to one process: whoever runs is the only runner
    if (this.kv.backend === "sqlite") return true;
    let got = false;
    await this.kv.update<{ owner: string; until: number }>(
      `job:${id}:lease`,
      (cur) => {
        const now = Date.now();
        got = !cur || cur.owner === owner || cur.until <= now;
        return got ? { owner, until: now + ms } : cur;
      },
      ms * 2,
    );
    return got;
  }

  async release(id: string, owner: string): Promise<void> {
    if (this.kv.backend === "sqlite") return;
    await this.kv.update<{ owner: string; until: number }>(`job:${id}:lease`, (cur) =>
      cur?.owner === owner ? undefined : cur,
    );
  }

  async report(id: string): Promise<DeliveryReport | undefined> {
    const job = await this.get(id);
    if (!job) return undefined;
    const r: DeliveryReport = { sent: 0, failed: 0, inactive: 0, unknown: 0, total: job.recipients.length };
    for (const s of await this.statuses(id, job.recipients)) {
      if (s === "sent") r.sent++;
      else if (s === "failed") r.failed++;
      else if (s === "inactive") r.inactive++;
      else r.unknown++;
    }
    return r;
  }
}
