import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PYTHON, InvalidServiceRequest, defaultInterpreters, minimalEnv, runProcess, type ServiceHandler } from '../../../worker-host/runner/index.ts';

/**
 * The Python sensor wrapper, run as the sensor host runs it (real Python, the service channel on
 * fd 4, the report on fd 3), on sensors written as StackStorm's Exchange packs write them.
 */
const WRAPPER = join(defaultInterpreters().wrappersDir, 'python', 'attune_sensor_wrapper.py');

let pack: string;

beforeEach(async () => {
  pack = await mkdtemp(join(tmpdir(), 'attune-sensor-wrapper-'));
  await mkdir(join(pack, 'sensors'));
  await writeFile(join(pack, 'pack.yaml'), 'ref: p\nname: p\ndescription: d\nversion: 0.1.0\nauthor: a\n');
});
afterEach(async () => {
  await rm(pack, { recursive: true, force: true });
});

async function run(source: string, input: Record<string, unknown>, services: ServiceHandler, stopAfter?: (seen: unknown[]) => boolean) {
  await writeFile(join(pack, 'sensors', 'watch.py'), source);
  const abort = new AbortController();
  const requests: unknown[] = [];
  let stderr = '';
  const outcome = await runProcess(
    {
      command: DEFAULT_PYTHON,
      args: ['-u', WRAPPER, '--pack-dir', pack, join(pack, 'sensors', 'watch.py')],
      cwd: pack,
      env: minimalEnv({ home: pack }),
      stdin: JSON.stringify(input),
      timeoutMs: 20_000,
      killGraceMs: 2_000,
      signal: abort.signal,
      services: async (request) => {
        requests.push(request);
        if (stopAfter?.(requests)) abort.abort();
        return services(request);
      },
    },
    { onStdout: () => undefined, onStderr: (c) => void (stderr += c.toString()) },
  );
  return { outcome, requests, stderr };
}

const POLLING = `
from st2reactor.sensor.base import PollingSensor

class Watch(PollingSensor):
    def setup(self):
        self._seen = self.sensor_service.get_value("seen", local=True) or "0"
        self._log = self.sensor_service.get_logger(__name__)
        self.triggers = []

    def poll(self):
        self.sensor_service.dispatch(trigger="p.event", payload={"seen": self._seen, "token": self.config["token"], "interval": self.get_poll_interval(), "triggers": self.triggers}, trace_tag="t1")

    def cleanup(self):
        self._log.info("cleaned up")

    def add_trigger(self, trigger):
        self.triggers.append(trigger["ref"])

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
`;

describe('the Python sensor wrapper', () => {
  it("runs a PollingSensor: its local datastore name, config, poll interval and triggers, dispatches every interval, and cleanup on SIGTERM", async () => {
    // Prepare
    const input = { sensor: { ref: 'p.Watch', pack: 'p', class_name: 'Watch', poll_interval: 0.2 }, config: { token: 'from-config' }, triggers: [{ ref: 'p.event', parameters: {} }] };
    const answer: ServiceHandler = async (r) => (r.op === 'kv.get' ? '7' : { trigger_instance: 'ti', executions: [] });

    // Act: stopped after its third dispatch.
    const { outcome, requests, stderr } = await run(POLLING, input, answer, (seen) => seen.filter((r) => (r as { op: string }).op === 'sensor.dispatch').length === 3);

    // Assess
    expect(requests[0]).toMatchObject({ op: 'kv.get', name: 'p.Watch:seen' });
    const dispatches = requests.filter((r) => (r as { op: string }).op === 'sensor.dispatch');
    expect(dispatches.length).toBeGreaterThanOrEqual(3);
    expect(dispatches[0]).toMatchObject({ trigger: 'p.event', trace_tag: 't1', payload: { seen: '7', token: 'from-config', interval: 0.2, triggers: ['p.event'] } });
    expect(outcome.exitCode).toBe(0);
    expect(stderr).toContain('cleaned up');
  });

  it('logs a refused dispatch as st2 does and goes on polling', async () => {
    // Prepare
    const input = { sensor: { ref: 'p.Watch', pack: 'p', class_name: 'Watch', poll_interval: 0.1 }, config: { token: 'x' } };
    let n = 0;
    // The channel answers an AttuneError with its type and message, as the intake's refusal is.
    const refuse: ServiceHandler = async (r) => {
      if (r.op === 'sensor.dispatch' && n++ === 0) throw new InvalidServiceRequest('payload', 'payload of p.event does not match its payload_schema: payload.seen: expected integer');
      return r.op === 'kv.get' ? null : {};
    };

    // Act
    const { stderr, requests } = await run(POLLING, input, refuse, (seen) => seen.filter((r) => (r as { op: string }).op === 'sensor.dispatch').length === 2);

    // Assess
    expect(stderr).toMatch(/WARNING .*Failed to validate payload for trigger "p.event" \(dispatch refused\): InvalidServiceRequest: payload of p.event/);
    expect(requests.filter((r) => (r as { op: string }).op === 'sensor.dispatch')).toHaveLength(2);
  });

  it('reports a class the module lacks on fd 3, naming the file inside the pack and the classes it has', async () => {
    // Act
    const { outcome } = await run(POLLING, { sensor: { ref: 'p.Nope', pack: 'p', class_name: 'Nope' }, config: {} }, async () => null);

    // Assess
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result).toEqual({ ok: false, error: { type: 'SensorLoadError', message: 'sensor module sensors/watch.py is missing a class with name "Nope" (it defines: Watch)' } });
    expect(JSON.stringify(outcome.result)).not.toContain(pack);
  });

  it('reports run() raising with its type and message, after cleanup', async () => {
    // Prepare
    const failing = POLLING.replace('self.sensor_service.dispatch(', 'raise RuntimeError("upstream unreachable")\n        self.sensor_service.dispatch(');

    // Act
    const { outcome, stderr } = await run(failing, { sensor: { ref: 'p.Watch', pack: 'p', class_name: 'Watch' }, config: {} }, async () => null);

    // Assess
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result).toEqual({ ok: false, error: { type: 'RuntimeError', message: 'upstream unreachable' } });
    expect(stderr).toContain('cleaned up');
  });
});
