/**
 * The checks of the load bench (bench/load.ts) as pure functions over what the stores hold after a
 * run: start order per policy key, concurrency per key, leases left held, executions lost, and
 * the recovery after a worker was killed. Each answers the violations it found (empty: passed),
 * so the bench can print them and exit non-zero.
 */

/** One execution as the checks see it (times in ms since the epoch unless the name says µs). */
export interface LoadRecord {
  id: string;
  key: string;
  status: string;
  /** Rank of the request within its key (SQS SequenceNumber order): the order starts must keep. */
  requestRank: number;
  /** Limit of the key as the execution recorded it. */
  limit: number | null;
  /** When the claim scheduled it (µs): the order in which a key's executions start. */
  scheduledAtUs?: number;
  startedMs?: number;
  endedMs?: number;
  worker?: string;
  /** First execution of its retry chain, for a re-run of an abandoned or failed one. */
  retryOf?: string;
  attempt: number;
}

/** A worker process killed by the bench: its worker id and when. */
export interface Kill {
  worker: string;
  atMs: number;
}

/** A lease item as read back from the leases table. */
export interface LeaseItem {
  policyKey: string;
  sk: string;
  holder?: string;
  leaseUntil: number;
}

const byKey = (records: readonly LoadRecord[]): Map<string, LoadRecord[]> => {
  const out = new Map<string, LoadRecord[]>();
  for (const r of records) out.set(r.key, [...(out.get(r.key) ?? []), r]);
  return out;
};

/**
 * FIFO per key: sorted by request rank, the scheduled times strictly increase. Executions never
 * scheduled (canceled while queued) take no part. One violation per key: the first pair out of order.
 */
export function checkOrder(records: readonly LoadRecord[]): string[] {
  const out: string[] = [];
  for (const [key, list] of byKey(records)) {
    const started = list.filter((r) => r.scheduledAtUs !== undefined).sort((a, b) => a.requestRank - b.requestRank);
    for (let i = 1; i < started.length; i++) {
      const [before, after] = [started[i - 1]!, started[i]!];
      if (after.scheduledAtUs! <= before.scheduledAtUs!) {
        out.push(`${key}: ${after.id} (request ${after.requestRank}) started before ${before.id} (request ${before.requestRank})`);
        break;
      }
    }
  }
  return out;
}

/**
 * End of an execution's hold on its slot as far as the records tell: its end, except for an
 * abandoned one, whose worker was killed: its slot lapsed from that kill on (the reaper's
 * `endedAt` comes later, and a claim may take the lapsed slot over before it).
 */
export function holdEndMs(r: LoadRecord, kills: readonly Kill[]): number | undefined {
  if (r.status !== 'abandoned' || r.startedMs === undefined) return r.endedMs;
  const kill = kills.filter((k) => k.worker === r.worker && k.atMs >= r.startedMs!).sort((a, b) => a.atMs - b.atMs)[0];
  return kill ? Math.min(kill.atMs, r.endedMs ?? kill.atMs) : r.endedMs;
}

/**
 * Never more than `limits(key)` running at once, from the started → ended intervals: at each start,
 * the executions of its key claimed before it (by the claim's µs) and not yet ended. The records
 * keep ms, so an end in the same ms as the next start is a hand-off, not an overlap, and an
 * overlap shorter than a ms goes unseen. An execution still running at the end never ended.
 */
export function checkLimits(records: readonly LoadRecord[], limits: (key: string) => number | null, kills: readonly Kill[] = []): string[] {
  const out: string[] = [];
  for (const [key, list] of byKey(records)) {
    const limit = limits(key);
    const wrong = list.find((r) => r.limit !== limit);
    if (wrong) out.push(`${key}: ${wrong.id} recorded limit ${String(wrong.limit)}, the key's is ${String(limit)}`);
    if (limit === null) continue;
    const spans = list
      .filter((r) => r.startedMs !== undefined)
      .map((r) => ({ id: r.id, claimUs: r.scheduledAtUs ?? r.startedMs! * 1000, from: r.startedMs!, to: holdEndMs(r, kills) ?? Number.POSITIVE_INFINITY }));
    let worst: { at: number; running: string[] } | undefined;
    for (const s of spans) {
      const running = spans.filter((o) => o === s || (o.claimUs <= s.claimUs && o.to > s.from)).map((o) => o.id);
      if (running.length > limit && (!worst || running.length > worst.running.length)) worst = { at: s.from, running };
    }
    if (worst) out.push(`${key}: ${worst.running.length} running at ${new Date(worst.at).toISOString()} over its limit of ${limit} (${worst.running.join(', ')})`);
  }
  return out;
}

/** No slot left held at the end: every lease item of the run has no holder. */
export function checkLeaks(leases: readonly LeaseItem[]): string[] {
  return leases.filter((l) => l.holder !== undefined).map((l) => `${l.policyKey} ${l.sk}: still held by ${l.holder} (lease until ${new Date(l.leaseUntil).toISOString()})`);
}

/** What the no-loss check counted. */
export interface Outcomes {
  violations: string[];
  requested: number;
  succeeded: number;
  abandoned: number;
  /** Executions run again after an abandonment or failure (attempt ≥ 2). */
  reruns: number;
}

/**
 * Nothing lost: every requested execution's chain (the execution, then its retries) ends exactly
 * once in `succeeded`, and only its last attempt may be anything but abandoned. `requested` are
 * the ids the bench was answered; `records` every execution the table holds, retries included.
 */
export function checkOutcomes(requested: readonly string[], records: readonly LoadRecord[]): Outcomes {
  const violations: string[] = [];
  const byId = new Map(records.map((r) => [r.id, r]));
  const chains = new Map<string, LoadRecord[]>();
  for (const r of records) if (r.retryOf !== undefined) chains.set(r.retryOf, [...(chains.get(r.retryOf) ?? []), r]);
  let succeeded = 0;
  for (const id of requested) {
    const first = byId.get(id);
    if (!first) {
      violations.push(`${id}: requested, but no record`);
      continue;
    }
    const chain = [first, ...(chains.get(id) ?? []).sort((a, b) => a.attempt - b.attempt)];
    const last = chain[chain.length - 1]!;
    const early = chain.slice(0, -1).find((r) => r.status !== 'abandoned' && r.status !== 'failed');
    if (early) violations.push(`${early.id}: attempt ${early.attempt} ended ${early.status}, yet was run again`);
    if (last.status !== 'succeeded') violations.push(`${last.id}: attempt ${last.attempt} ended ${last.status}, not succeeded`);
    else succeeded++;
    const attempts = chain.map((r) => r.attempt);
    if (attempts.some((a, i) => a !== i + 1)) violations.push(`${id}: attempts ${attempts.join(', ')} are not one each from 1`);
  }
  const asked = new Set(requested);
  for (const r of records) if (!asked.has(r.retryOf ?? r.id)) violations.push(`${r.id}: an execution nobody requested`);
  return {
    violations,
    requested: requested.length,
    succeeded,
    abandoned: records.filter((r) => r.status === 'abandoned').length,
    reruns: records.filter((r) => r.attempt > 1).length,
  };
}

/** Recovery after one kill: the keys the killed worker held, and how long until each started again. */
export interface Recovery {
  kill: Kill;
  /** ms from the kill to the next start of each held key that had executions left to start. */
  restartsMs: number[];
}

/**
 * For each kill, the keys its worker held (an execution of the key it had scheduled and not ended
 * by the kill, or else the key whose latest start before the kill was its: its message group was
 * in that worker's hands), and the time from the kill to the next start of each such key.
 */
export function recoveries(records: readonly LoadRecord[], kills: readonly Kill[]): Recovery[] {
  const keys = byKey(records);
  return kills.map((kill) => {
    const restartsMs: number[] = [];
    for (const list of keys.values()) {
      const before = list.filter((r) => r.startedMs !== undefined && r.startedMs <= kill.atMs);
      const live = before.some((r) => r.worker === kill.worker && (r.endedMs ?? Number.POSITIVE_INFINITY) > kill.atMs);
      const latest = before.sort((a, b) => b.startedMs! - a.startedMs!)[0];
      if (!live && latest?.worker !== kill.worker) continue;
      const next = list.filter((r) => r.startedMs !== undefined && r.startedMs > kill.atMs).sort((a, b) => a.startedMs! - b.startedMs!)[0];
      if (next) restartsMs.push(next.startedMs! - kill.atMs);
    }
    return { kill, restartsMs };
  });
}
