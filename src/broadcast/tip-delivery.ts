import type { DeliveryReport, TipJob } from "../storage/jobs.ts";

export type SendFn = (chatId: number, html: string) => Promise<unknown>;

/** What the bot asks of tip delivery, embedded (one process) or on the shared queue (several). */
export interface TipDelivery {
  /** Create a durable job and have it delivered (resolves once queued). */
  enqueue(input: Omit<TipJob, "id" | "createdAt" | "status">): Promise<TipJob>;
  /** The job's report once it is finished; undefined when there is nothing here to wait for. */
  wait(id: string): Promise<DeliveryReport | undefined>;
  /** Start delivering: pick up unfinished jobs now and keep picking up those left by a dead instance. */
  start(): void;
  /** Pick up unfinished jobs that nobody else is delivering, once. */
  resumeAll(): Promise<void>;
  /** Stop after the messages in flight; what is left stays durable for the next start. */
  stop(): Promise<void>;
}
