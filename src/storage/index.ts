import { GapRepo } from "./gaps.ts";
import { InviteRepo } from "./invites.ts";
import { JobRepo } from "./jobs.ts";
import { createKv, type Kv, type KvOptions } from "./kv.ts";
import { QuizRepo } from "./quiz-state.ts";
import { UserRepo } from "./users.ts";

export interface Storage {
  kv: Kv;
  users: UserRepo;
  invites: InviteRepo;
  quiz: QuizRepo;
  gaps: GapRepo;
  jobs: JobRepo;
  close(): Promise<void>;
}

export function storageOver(kv: Kv): Storage {
  return {
    kv,
    users: new UserRepo(kv),
    invites: new InviteRepo(kv),
    quiz: new QuizRepo(kv),
    gaps: new GapRepo(kv),
    jobs: new JobRepo(kv),
    close: () => kv.close(),
  };
}

export async function createStorage(options: KvOptions): Promise<Storage> {
  return storageOver(await createKv(options));
}

export { StorageError } from "./errors.ts";
export type { Kv, KvOptions };
