/**
 * The web console's figures on the local stack, one run:
 * - bundle size (raw and gzip) of the built console;
 * - time to first contentful paint and to the first execution row of the executions page with
 *   10,000 executions stored (the API pages: the console asks for one page of 50), as a ratio
 *   against the same page with 10 stored, measured in the same run;
 * - API requests per minute of a console left open, idle, on the executions page (and how many of
 *   them were bodiless 304s).
 * Usage: node bench/console.ts [stored=10000] [idleSeconds=60]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from '../console/build.ts';
import { startDevEngine } from '../cli/dev/index.ts';
import { createAwsClients } from '../engine/contract/index.ts';
import type { Execution } from '../engine/executions/index.ts';
import { createStores } from '../engine/stores/index.ts';
import { startLocalStack } from '../localstack/index.ts';
import { launchChromium } from '../test/browser/chromium.ts';
import { printTable } from './stats.ts';

const stored = Number(process.argv[2] ?? 10_000);
const idleSeconds = Number(process.argv[3] ?? 60);
const BASELINE = 10;
const WRITERS = 32;

const built = await buildConsole();
const stack = await startLocalStack({ log: () => undefined });
process.env.AWS_ENDPOINT_URL = stack.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
const root = await mkdtemp(join(tmpdir(), 'attune-bench-'));
const apiKey = randomBytes(24).toString('hex');
const engine = await startDevEngine({
  root,
  packsDir: fileURLToPath(new URL('../packs', import.meta.url)),
  env: { ...process.env, ATTUNE_PORT: '0', ATTUNE_STAGE: `c${randomBytes(3).toString('hex')}`, ATTUNE_WORKERS: '1', ATTUNE_API_KEY: apiKey },
  log: () => undefined,
  workerLogsToFiles: true,
});
const stores = createStores(createAwsClients({ requireLocal: true }), engine.config);

/** Stores `count` finished executions directly (running them all would measure the worker, not the page). */
async function store(count: number, from: number): Promise<void> {
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < count; i = next++) {
      const at = new Date(Date.UTC(2026, 0, 1) + (from + i) * 1000).toISOString();
      const execution: Execution = {
        id: randomUUID(),
        action: 'core.local',
        status: 'succeeded',
        parameters: { cmd: `echo ${from + i}` },
        policyKey: 'core.local',
        createdAt: at,
        enqueuedAt: at,
        startedAt: at,
        endedAt: at,
        listKey: 'execution',
        limit: null,
        onLimit: 'delay',
        attempt: 1,
        result: { stdout: `${from + i}\n` },
        exitCode: 0,
      } as Execution;
      await stores.executions.create(execution);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

const browser = await launchChromium();

/** Opens the executions page signed in; answers ms to first contentful paint and to the first row. */
async function firstPaint(): Promise<{ fcp: number; firstRow: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(`sessionStorage.setItem('attune.apiKey', ${JSON.stringify(apiKey)})`);
  await page.goto(`${engine.url}/ui/#/executions`);
  await page.locator('tr[data-execution]').first().waitFor();
  const firstRow = (await page.evaluate('performance.now()')) as number;
  const fcp = (await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")) as number;
  await page.close();
  return { fcp, firstRow };
}

/** The median of `runs` cold page loads. */
async function medianPaint(runs: number): Promise<{ fcp: number; firstRow: number }> {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await firstPaint());
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { fcp: mid(samples.map((s) => s.fcp)), firstRow: mid(samples.map((s) => s.firstRow)) };
}

/** API requests (and how many were 304) of the executions page left open, idle, for idleSeconds. */
async function idleRequests(): Promise<{ perMinute: number; notModified: number; requests: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(`sessionStorage.setItem('attune.apiKey', ${JSON.stringify(apiKey)})`);
  await page.goto(`${engine.url}/ui/#/executions`);
  await page.locator('tr[data-execution]').first().waitFor();
  let requests = 0;
  let notModified = 0;
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/v1/')) return;
    requests++;
    if (r.status() === 304) notModified++;
  });
  await page.waitForTimeout(idleSeconds * 1000);
  await page.close();
  return { perMinute: (requests * 60) / idleSeconds, notModified, requests };
}

try {
  await store(BASELINE, 0);
  const baseline = await medianPaint(5);
  const idleSmall = await idleRequests();
  const t0 = performance.now();
  await store(stored - BASELINE, BASELINE);
  const storeSeconds = (performance.now() - t0) / 1000;
  const loaded = await medianPaint(5);
  const idleLarge = await idleRequests();
  // What the page waits for: one page of 50 from the API, timed alone.
  const apiPage = async () => {
    const t = performance.now();
    await fetch(`${engine.url}/v1/executions?limit=50`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.arrayBuffer());
    return performance.now() - t;
  };

  const gzip = built.files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const raw = built.files.reduce((sum, f) => sum + f.bytes, 0);
  printTable([
    ['figure', 'value', 'baseline', 'ratio'],
    ['console bundle, gzip (all files)', `${(gzip / 1024).toFixed(1)} KiB`, `${(raw / 1024).toFixed(1)} KiB raw`, (gzip / raw).toFixed(2)],
    [`first contentful paint, ${stored} stored`, `${loaded.fcp.toFixed(0)} ms`, `${baseline.fcp.toFixed(0)} ms (${BASELINE} stored)`, (loaded.fcp / baseline.fcp).toFixed(2)],
    [`first execution row, ${stored} stored`, `${loaded.firstRow.toFixed(0)} ms`, `${baseline.firstRow.toFixed(0)} ms (${BASELINE} stored)`, (loaded.firstRow / baseline.firstRow).toFixed(2)],
    [`GET /v1/executions?limit=50, ${stored} stored`, `${(await apiPage()).toFixed(0)} ms`, '', ''],
    [`idle console, API requests / min (${BASELINE} stored)`, `${idleSmall.perMinute.toFixed(0)}`, `${idleSmall.notModified} of ${idleSmall.requests} were 304`, (idleSmall.notModified / Math.max(idleSmall.requests, 1)).toFixed(2)],
    [`idle console, API requests / min (${stored} stored)`, `${idleLarge.perMinute.toFixed(0)}`, `${idleLarge.notModified} of ${idleLarge.requests} were 304`, (idleLarge.notModified / Math.max(idleLarge.requests, 1)).toFixed(2)],
  ]);
  console.log(`(stored ${stored - BASELINE} executions in ${storeSeconds.toFixed(1)} s)`);
} finally {
  await browser.close();
  await engine.stop();
  await stack.stop();
  await rm(root, { recursive: true, force: true });
}
