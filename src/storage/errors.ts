/** Where the data lives, for messages an operator can act on (passwords never included). */
export function describeLocation(o: { redisUrl?: string | undefined; dataDir: string }): string {
  if (!o.redisUrl) return `DATA_DIR=${o.dataDir}`;
  try {
    const u = new URL(o.redisUrl);
    return `REDIS_URL=${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "REDIS_URL";
  }
}

/** What kind of fault it is, from the driver's error code (SQLite, file system, Redis). */
export function faultOf(err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? "");
  const msg = err instanceof Error ? err.message : String(err);
  if (code === "SQLITE_FULL" || code === "ENOSPC" || /disk is full|ENOSPC/i.test(msg)) return "disk full";
  if (code === "SQLITE_READONLY" || code === "EROFS" || /readonly|read-only/i.test(msg)) return "read-only";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "SQLITE_CANTOPEN") return "cannot open the database file";
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(msg)) return "connection refused";
  if (/timed? ?out/i.test(msg)) return "timeout";
  if (/Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request/i.test(msg))
    return "not connected";
  return code || "error";
}

/**
 * A storage operation that failed. Never swallowed: a failed read is not "no value", a failed
 * write is not "done". Carries the operation, the key and where the data lives.
 */
export class StorageError extends Error {
  readonly fault: string;
  constructor(
    readonly op: string,
    readonly key: string,
    readonly location: string,
    override readonly cause: unknown,
  ) {
    const fault = faultOf(cause);
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`storage ${op} ${key} failed (${fault}, ${location}): ${why}`);
    this.name = "StorageError";
    this.fault = fault;
  }
}

/**
 * Run one storage operation; any failure is rethrown as a StorageError naming the operation, the
 * key and where the data lives, after `onError` (logs, metrics) has seen it. Shared by both back ends.
 */
export async function guarded<R>(
  op: string,
  key: string,
  location: string,
  onError: ((err: StorageError) => void) | undefined,
  fn: () => Promise<R>,
): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StorageError) throw err;
    const e = new StorageError(op, key, location, err);
    onError?.(e);
    throw e;
  }
}
