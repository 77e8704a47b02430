import { ExecutionExists, ExecutionNotFound, LEASED_STATUSES, TRANSITIONS, TransitionRefused, sourcesOf, type Execution, type ExecutionKeys, type ExecutionPatch, type ExecutionStatus } from '../../../engine/executions/index.ts';
import type { WorkflowEvent } from '../../../engine/workflow-runs/index.ts';
import { SecretUnavailable } from '../../../engine/secrets/index.ts';
import type { LifecyclePorts } from '../../../engine/lifecycle/index.ts';
import type { Policy } from '../../../engine/packs/index.ts';
import type { ExecutionMessage } from '../../../engine/queue/index.ts';
import { AlreadyClaimed, RECORD_LEASE, SlotUnavailable, type ClaimRequest, type Lease } from '../../../engine/slots/index.ts';

type ExecutionsPort = LifecyclePorts['executions'];
type SlotsPort = LifecyclePorts['slots'];
type QueuePort = LifecyclePorts['queue'];

/**
 * In-memory stores with the conditional semantics of the DynamoDB ones (a transition names the
 * statuses it may leave, a claim moves the execution and takes the slot atomically): a port of the
 * lifecycle, faked, so every transition can be driven and refused without AWS.
 */
export class FakeExecutions implements ExecutionsPort {
  readonly items = new Map<string, Execution>();
  /** Reads of a record (find, get). */
  reads = 0;

  async create(e: Execution): Promise<Execution> {
    if (this.items.has(e.id)) throw new ExecutionExists(e.id);
    this.items.set(e.id, structuredClone(e));
    return structuredClone(e);
  }
  async find(id: string): Promise<Execution | undefined> {
    this.reads++;
    const e = this.items.get(id);
    return e && structuredClone(e);
  }
  async get(id: string): Promise<Execution> {
    const e = await this.find(id);
    if (!e) throw new ExecutionNotFound(id);
    return e;
  }
  async transition(id: string, to: ExecutionStatus, patch: ExecutionPatch = {}, from: readonly ExecutionStatus[] = sourcesOf(to)): Promise<Execution> {
    const e = this.items.get(id);
    const allowed = from.filter((f) => TRANSITIONS[f].includes(to));
    if (!e || !allowed.includes(e.status)) throw new TransitionRefused(id, to, e?.status);
    Object.assign(e, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), { status: to });
    return structuredClone(e);
  }
  /** Set to make the next transitionWithSuccessor fail after nothing was written (a lost connection). */
  failNextTransaction = false;
  async transitionWithSuccessor(current: Execution, to: ExecutionStatus, patch: ExecutionPatch, from: readonly ExecutionStatus[], successor: Execution): Promise<Execution> {
    if (this.failNextTransaction) {
      this.failNextTransaction = false;
      throw new Error('connection lost');
    }
    const e = this.items.get(current.id);
    const allowed = from.filter((f) => TRANSITIONS[f].includes(to));
    if (!e || !allowed.includes(e.status)) throw new TransitionRefused(current.id, to, e?.status);
    if (this.items.has(successor.id)) throw new ExecutionExists(successor.id);
    this.items.set(successor.id, structuredClone(successor));
    return this.transition(current.id, to, patch, from);
  }
  async update(id: string, patch: ExecutionPatch): Promise<void> {
    const e = this.items.get(id);
    if (!e) throw new ExecutionNotFound(id);
    Object.assign(e, patch);
  }
  async keysByStatus(status: ExecutionStatus, action?: string): Promise<ExecutionKeys[]> {
    return [...this.items.values()]
      .filter((e) => e.status === status && (action === undefined || e.action === action))
      .map((e) => ({ id: e.id, action: e.action, policyKey: e.policyKey, limit: e.limit, createdAt: e.createdAt, ...(e.lease ? { lease: e.lease } : {}), ...(e.leaseUntil !== undefined ? { leaseUntil: e.leaseUntil } : {}), ...(e.enqueuedAt ? { enqueuedAt: e.enqueuedAt } : {}) }));
  }
  async strandedBefore(createdBefore: string): Promise<ExecutionKeys[]> {
    return (await this.keysByStatus('requested')).filter((e) => e.enqueuedAt === undefined && e.createdAt !== undefined && e.createdAt < createdBefore);
  }
  status(id: string): ExecutionStatus | undefined {
    return this.items.get(id)?.status;
  }
}

interface SlotItem {
  holder?: string;
  leaseUntil: number;
}

export class FakeSlots implements SlotsPort {
  readonly items = new Map<string, SlotItem>();
  readonly #executions: FakeExecutions;
  readonly #now: () => number;

  constructor(executions: FakeExecutions, now: () => number) {
    this.#executions = executions;
    this.#now = now;
  }

  async claim(req: ClaimRequest): Promise<Lease> {
    const now = req.now ?? this.#now();
    const e = this.#executions.items.get(req.executionId);
    if (!e || (e.status !== 'requested' && e.status !== 'delayed')) throw new AlreadyClaimed(req.executionId, e?.status);
    if (req.limit === null) {
      // A key without a limit keeps the lease in the record, as the slot store does.
      Object.assign(e, { status: 'scheduled', worker: req.worker, lease: RECORD_LEASE, leaseUntil: now + req.ttlMs });
      return { policyKey: req.policyKey, sk: RECORD_LEASE, holder: req.executionId, leaseUntil: now + req.ttlMs };
    }
    const sks = Array.from({ length: req.limit }, (_, n) => `slot#${n}`);
    const sk = sks.find((k) => (this.items.get(`${req.policyKey}|${k}`)?.leaseUntil ?? -1) < now);
    if (sk === undefined) throw new SlotUnavailable(req.policyKey, req.limit ?? 0);
    const previous = this.items.get(`${req.policyKey}|${sk}`)?.holder;
    this.items.set(`${req.policyKey}|${sk}`, { holder: req.executionId, leaseUntil: now + req.ttlMs });
    Object.assign(e, { status: 'scheduled', worker: req.worker, lease: sk });
    return { policyKey: req.policyKey, sk, holder: req.executionId, leaseUntil: now + req.ttlMs, ...(previous ? { replaced: previous } : {}) };
  }
  async heartbeat(lease: Lease, ttlMs: number, now = this.#now()): Promise<boolean> {
    if (lease.sk === RECORD_LEASE) {
      const e = this.#executions.items.get(lease.holder);
      if (!e || e.lease !== RECORD_LEASE || (e.leaseUntil ?? 0) < now || !LEASED_STATUSES.includes(e.status)) return false;
      e.leaseUntil = now + ttlMs;
      return true;
    }
    const item = this.items.get(`${lease.policyKey}|${lease.sk}`);
    if (!item || item.holder !== lease.holder || item.leaseUntil < now) return false;
    item.leaseUntil = now + ttlMs;
    return true;
  }
  async release(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>, onlyIfExpiredAt?: number): Promise<boolean> {
    return (await this.releaseWatched(lease, onlyIfExpiredAt)) !== null;
  }
  async releaseWatched(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>, onlyIfExpiredAt?: number): Promise<{ watchers: string[] } | null> {
    if (lease.sk === RECORD_LEASE) return onlyIfExpiredAt === undefined ? { watchers: [] } : null;
    const key = `${lease.policyKey}|${lease.sk}`;
    const item = this.items.get(key);
    if (!item || item.holder !== lease.holder) return null;
    if (onlyIfExpiredAt !== undefined && item.leaseUntil >= onlyIfExpiredAt) return null;
    this.items.delete(key);
    const watchers = [...(this.watchers.get(key) ?? [])];
    this.watchers.delete(key);
    return { watchers };
  }
  /** Wake queue URLs written on slot items (`<key>|<sk>`) by `watch`. */
  readonly watchers = new Map<string, Set<string>>();
  async watch(policyKey: string, url: string): Promise<number> {
    let added = 0;
    for (const key of [...this.items.keys()].filter((k) => k.startsWith(`${policyKey}|slot#`))) {
      const set = this.watchers.get(key) ?? new Set<string>();
      if (!set.has(url)) added++;
      this.watchers.set(key, set.add(url));
    }
    return added;
  }
  async holderOf(lease: Pick<Lease, 'policyKey' | 'sk'>): Promise<string | undefined> {
    return this.items.get(`${lease.policyKey}|${lease.sk}`)?.holder;
  }
  async expired(now = this.#now()): Promise<Lease[]> {
    return [...this.items.entries()]
      .filter(([, i]) => i.holder !== undefined && i.leaseUntil < now)
      .map(([k, i]) => {
        const [policyKey = '', sk = ''] = k.split('|');
        return { policyKey, sk, holder: i.holder as string, leaseUntil: i.leaseUntil };
      });
  }
  held(policyKey: string): number {
    return [...this.items.keys()].filter((k) => k.startsWith(`${policyKey}|`)).length;
  }
}

/** A FIFO queue: a message sent again under the same execution id is accepted and dropped, as SQS deduplicates. */
export class FakeQueue implements QueuePort {
  readonly sent: ExecutionMessage[] = [];
  /** Every send, deduplicated or not. */
  sends = 0;
  failWith: Error | undefined;
  /** Called at each send, e.g. to see what the slots look like when a retry is enqueued. */
  onSend: ((m: ExecutionMessage) => void) | undefined;

  async enqueue(m: ExecutionMessage): Promise<string> {
    if (this.failWith) throw this.failWith;
    this.sends++;
    if (this.sent.some((s) => s.executionId === m.executionId)) return String(this.sent.findIndex((s) => s.executionId === m.executionId) + 1).padStart(20, '0');
    this.onSend?.(m);
    this.sent.push(m);
    return String(this.sent.length).padStart(20, '0');
  }
}

/** A lifecycle's ports, all faked, with a clock the test moves. */
export function fakePorts(policies: Policy[] = []) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const executions = new FakeExecutions();
  const slots = new FakeSlots(executions, () => clock);
  const queue = new FakeQueue();
  const sealed = new Map<string, string>();
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const workflowEvents: WorkflowEvent[] = [];
  const ports: LifecyclePorts = {
    executions,
    slots,
    queue,
    // The sealing key's secret, create-only as in Secrets Manager.
    secrets: {
      prefix: 'attune/test/',
      readById: async (id: string) => sealed.get(id) ?? Promise.reject(new SecretUnavailable('(engine)', id, id, 'not-found')),
      create: async (name: string, value: string) => !sealed.has(`attune/test/${name}`) && Boolean(sealed.set(`attune/test/${name}`, value)),
    },
    artifacts: {
      storeResult: async (id: string, result: unknown) => (result !== undefined && JSON.stringify(result).length > 100 ? { $ref: `results/${id}.json`, bytes: JSON.stringify(result).length } : result),
    },
    policies: { policiesFor: async (ref: string) => policies.filter((p) => p.resource_ref === ref) },
    workflowEvents: { send: async (event: WorkflowEvent) => void workflowEvents.push(event) },
    log: (level, message, fields) => void logs.push({ level, message, ...(fields ? { fields } : {}) }),
    now: () => clock,
  };
  return { ports, executions, slots, queue, sealed, logs, workflowEvents, advance: (ms: number) => (clock += ms), now: () => clock };
}
