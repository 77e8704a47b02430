/**
 * Sensor dispatch → execution requested, on the local stack, as a ratio against the same trigger
 * injected over HTTP (`POST /v1/events`) in the same run:
 * - sensor: a PollingSensor (written as st2's) dispatches `benchsense.tick` with the time it called
 *   `dispatch()`; a rule on it requests core.noop; the figure is the execution's createdAt minus
 *   that time (p50/p95);
 * - baseline: the client posts the same trigger to /v1/events, stamped just before the request.
 * Usage: node bench/sensors.ts [samples=30]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePack } from '../cli/bundle.ts';
import { AttuneClient } from '../cli/client.ts';
import { startDevEngine } from '../cli/dev/index.ts';
import { startLocalStack } from '../localstack/index.ts';
import { percentile, printTable } from './stats.ts';

const samples = Number(process.argv[2] ?? 30);
const POLL_SECONDS = 0.5;

const SENSOR = `
import time
from st2reactor.sensor.base import PollingSensor


class BenchSensor(PollingSensor):
    def setup(self):
        self._n = 0

    def poll(self):
        self._n += 1
        self.sensor_service.dispatch(trigger="benchsense.tick", payload={"n": self._n, "sent_at": time.time()})

    def cleanup(self):
        pass

    def add_trigger(self, trigger):
        pass

    def update_trigger(self, trigger):
        pass

    def remove_trigger(self, trigger):
        pass
`;

async function writePack(dir: string): Promise<void> {
  await mkdir(join(dir, 'sensors'), { recursive: true });
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'pack.yaml'), 'ref: benchsense\nname: benchsense\ndescription: sensor bench\nversion: 0.1.0\nauthor: attune\n');
  await writeFile(
    join(dir, 'sensors', 'bench.yaml'),
    `class_name: BenchSensor\nentry_point: bench.py\npoll_interval: ${POLL_SECONDS}\ntrigger_types:\n  - name: tick\n    payload_schema: {type: object, properties: {n: {type: integer}, sent_at: {type: number}}}\n`,
  );
  await writeFile(join(dir, 'sensors', 'bench.py'), SENSOR);
  await writeFile(join(dir, 'rules', 'on_tick.yaml'), 'name: on_tick\ntrigger:\n  type: benchsense.tick\naction:\n  ref: core.noop\n');
}

const stack = await startLocalStack({ log: () => undefined });
process.env.AWS_ENDPOINT_URL = stack.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
const root = await mkdtemp(join(tmpdir(), 'attune-bench-sensors-'));
const apiKey = randomBytes(24).toString('hex');
const engine = await startDevEngine({
  root,
  packsDir: fileURLToPath(new URL('../packs', import.meta.url)),
  env: { ...process.env, ATTUNE_PORT: '0', ATTUNE_STAGE: `b${randomBytes(3).toString('hex')}`, ATTUNE_WORKERS: '1', ATTUNE_SENSOR_HOSTS: '1', ATTUNE_API_KEY: apiKey, ATTUNE_SENSOR_REFRESH_SECONDS: '0.5' },
  log: () => undefined,
  workerLogsToFiles: true,
});
const client = new AttuneClient({ url: engine.url, apiKey });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const packDir = join(root, 'benchsense');
  await writePack(packDir);
  await client.registerPack(await bundlePack(packDir));

  /** Execution createdAt minus the payload's sent_at, for executions of the rule whose payload matches. */
  async function latencies(want: (payload: { n: number; sent_at: number; via?: string }) => boolean, count: number): Promise<number[]> {
    for (;;) {
      const page = await client.listExecutions({ action: 'core.noop', limit: 100 });
      const out: number[] = [];
      for (const e of page.items.filter((x) => x.rule === 'benchsense.on_tick' && x.triggerInstance)) {
        const instance = await client.getTriggerInstance(e.triggerInstance as string);
        const payload = instance.payload as { n: number; sent_at: number; via?: string };
        if (want(payload)) out.push(Date.parse(e.createdAt) - payload.sent_at * 1000);
      }
      if (out.length >= count) return out.slice(0, count);
      await sleep(1_000);
    }
  }

  // The sensor: the first few ticks include its environment's first use; skip them.
  const sensor = await latencies((p) => p.via === undefined && p.n > 3, samples);

  // Baseline: the same trigger posted to /v1/events, one at a time.
  for (let i = 0; i < samples; i++) {
    await client.sendEvent('benchsense.tick', { n: 100_000 + i, sent_at: Date.now() / 1000, via: 'events' });
    await sleep(100);
  }
  const events = await latencies((p) => p.via === 'events', samples);

  const sp50 = percentile(sensor, 50);
  const ep50 = percentile(events, 50);
  printTable([
    ['path', 'p50 ms', 'p95 ms', 'x POST /v1/events p50'],
    ['POST /v1/events → execution requested (baseline)', ep50, percentile(events, 95), 1],
    ['sensor dispatch() → execution requested', sp50, percentile(sensor, 95), sp50 / ep50],
  ]);
} finally {
  await engine.stop();
  await stack.stop();
  await rm(root, { recursive: true, force: true });
}
