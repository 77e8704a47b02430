import type { RegisteredSensor } from '../../../engine/registry/index.ts';
import type { SensorState } from '../../../engine/sensors/index.ts';
import type { Lease } from '../../../engine/slots/index.ts';
import type { SensorEnd, SensorLeases, SensorRun, SupervisorPorts } from '../../../worker-host/sensors/index.ts';

export const SENSOR: RegisteredSensor = {
  ref: 'p.TickSensor',
  pack: 'p',
  file: 'sensors/tick.yaml',
  name: 'TickSensor',
  class_name: 'TickSensor',
  entry_point: 'tick.py',
  entryPoint: 'sensors/tick.py',
  description: '',
  enabled: true,
  poll_interval: 1,
  triggerTypes: ['p.tick'],
  digest: 'd1',
};

/** The sensor lease store's rules over a map, as shared by every host of a test. */
export class FakeLeases {
  readonly items = new Map<string, { holder: string; host: string; until: number }>();

  port(options: { frozen?: () => boolean } = {}): SensorLeases {
    return {
      claim: async (ref, holder, host, ttlMs, now = Date.now()) => {
        const item = this.items.get(ref);
        if (item !== undefined && item.until >= now && item.holder !== holder) return undefined;
        this.items.set(ref, { holder, host, until: now + ttlMs });
        return { policyKey: `sensor#${ref}`, sk: 'lease', holder, leaseUntil: now + ttlMs };
      },
      heartbeat: async (lease: Lease, ttlMs, now = Date.now()) => {
        // A host that died renews nothing: its renewal never comes back.
        if (options.frozen?.()) return new Promise<boolean>(() => undefined);
        const item = this.items.get(lease.policyKey.slice('sensor#'.length));
        if (item === undefined || item.holder !== lease.holder || item.until < now) return false;
        item.until = now + ttlMs;
        return true;
      },
      release: async (lease) => {
        const ref = lease.policyKey.slice('sensor#'.length);
        if (this.items.get(ref)?.holder !== lease.holder) return false;
        this.items.delete(ref);
        return true;
      },
    };
  }

  /** Takes the lease away from whoever holds it (another host took over after a stall). */
  steal(ref: string): void {
    const item = this.items.get(ref);
    if (item) item.holder = 'someone-else';
  }
}

/** A sensor process the test ends by hand; aborting its signal ends it as SIGTERM would. */
export interface FakeProcess {
  pid: number;
  host: string;
  startedAt: number;
  running: boolean;
  die(end: SensorEnd): void;
}

/** Ports of one host over shared leases, recording launches, states and emitted triggers. */
export function fakePorts(leases: FakeLeases, host: string, options: { frozen?: () => boolean; launchFails?: () => Error | undefined } = {}) {
  const processes: FakeProcess[] = [];
  const states: Omit<SensorState, 'lastDispatchAt'>[] = [];
  const emitted: { type: string; payload: Record<string, unknown> }[] = [];
  let nextPid = 100;
  const ports: SupervisorPorts = {
    leases: leases.port(options.frozen ? { frozen: options.frozen } : {}),
    states: { put: async (s) => void states.push(s) },
    launch: async (_sensor, signal): Promise<SensorRun> => {
      const failure = options.launchFails?.();
      if (failure) throw failure;
      let finish: (end: SensorEnd) => void = () => undefined;
      const ended = new Promise<SensorEnd>((r) => (finish = r));
      const proc: FakeProcess = {
        pid: nextPid++,
        host,
        startedAt: Date.now(),
        running: true,
        die: (end) => {
          if (!proc.running) return;
          proc.running = false;
          finish(end);
        },
      };
      signal.addEventListener('abort', () => proc.die({ exitCode: null, signal: 'SIGTERM' }), { once: true });
      processes.push(proc);
      return { pid: proc.pid, cmd: 'python attune_sensor_wrapper.py', ended };
    },
    emit: async (type, payload) => void emitted.push({ type, payload }),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    now: () => Date.now(),
    log: () => undefined,
  };
  return { ports, processes, states, emitted, running: () => processes.filter((p) => p.running) };
}
