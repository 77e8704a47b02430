import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { RequestMeter, createAwsClients } from '../../engine/contract/index.ts';
import { webhookSecretLookup } from '../../engine/secrets/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { createApp } from '../../functions/http-api/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * Replays against the real stack: a signed body starts its rules once, however often it is sent,
 * and requests naming a webhook whose key is not stored cost one Secrets Manager read per cache TTL.
 */
let dir: string;
let engine: Engine;
let app: Hono;
const meter = new RequestMeter();
const API_KEY = 'replay-test-key';
const KEYS = { github: 'gh-replay-key', stripe: 'whsec_replay' };

const rule = (name: string, url: string, signature?: string) =>
  [`name: ${name}`, 'pack: replay', 'trigger:', '  type: core.st2.webhook', '  parameters:', `    url: ${url}`, ...(signature ? [`    signature: ${signature}`] : []), 'action:', '  ref: replay.noop'].join('\n');

async function replayPack(): Promise<string> {
  const root = join(dir, 'replay');
  await mkdir(join(root, 'rules'), { recursive: true });
  await mkdir(join(root, 'actions'), { recursive: true });
  await writeFile(join(root, 'pack.yaml'), 'ref: replay\nname: replay\nversion: 1.0.0\nauthor: test\ndescription: signed webhooks replayed\n');
  await writeFile(join(root, 'actions', 'noop.yaml'), 'name: noop\nrunner_type: noop\nenabled: true\n');
  await writeFile(join(root, 'rules', 'gh.yaml'), rule('gh', 'replay/github', '{type: github, secret: replay/github}'));
  await writeFile(join(root, 'rules', 'stripe.yaml'), rule('stripe', 'replay/stripe', '{type: stripe, secret: replay/stripe}'));
  await writeFile(join(root, 'rules', 'unkeyed.yaml'), rule('unkeyed', 'replay/unkeyed', '{type: github, secret: replay/never-stored}'));
  await writeFile(join(root, 'rules', 'plain.yaml'), rule('plain', 'replay/plain'));
  return root;
}

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const post = (url: string, body: string, headers: Record<string, string>) => app.request(`/v1/webhooks/${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const noopRuns = async () => (await engine.listExecutions({ action: 'replay.noop', limit: 100 })).items.length;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-replay-'));
  const config = await provisionLocal(`r${randomBytes(4).toString('hex')}`, awsClients());
  const stores = createStores(createAwsClients({ meter }), config);
  engine = new Engine(stores);
  for (const [scheme, key] of Object.entries(KEYS)) await stores.secrets.put(`replay/${scheme}`, key);
  await engine.registerPack(await bundlePack(await replayPack()));
  app = createApp({ engine, apiKeys: (key) => key === API_KEY, webhookSecret: webhookSecretLookup(stores.secrets), webhookRate: { perSecond: 1000, burst: 1000 } });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('webhook replay on the real stack', () => {
  it('starts a GitHub delivery once: its replay, and a replay with rewritten delivery headers, answer 200 with the first trigger instance', async () => {
    // Prepare
    const body = JSON.stringify({ after: randomBytes(8).toString('hex') });
    const headers = { 'x-hub-signature-256': `sha256=${hmac(KEYS.github, body)}`, 'x-github-delivery': 'a1', 'x-github-event': 'push' };
    const before = await noopRuns();
    // Act
    const first = await post('replay/github', body, headers);
    const replay = await post('replay/github', body, headers);
    const rewritten = await post('replay/github', body, { ...headers, 'x-github-delivery': 'b2' });
    // Assess
    expect([first.status, replay.status, rewritten.status]).toEqual([202, 200, 200]);
    const original = (await first.json()) as { triggerInstance: string; executions: string[] };
    expect(original.executions).toHaveLength(1);
    expect(await replay.json()).toEqual({ ...original, duplicate: true });
    expect(await rewritten.json()).toEqual({ ...original, duplicate: true });
    expect(await noopRuns()).toBe(before + 1);
  });

  it("takes a Stripe retry of the same event under a new timestamp as the first delivery", async () => {
    // Prepare
    const body = JSON.stringify({ id: `evt_${randomBytes(6).toString('hex')}`, type: 'invoice.paid' });
    const stripe = (t: number) => ({ 'stripe-signature': `t=${t},v1=${hmac(KEYS.stripe, `${t}.${body}`)}` });
    const now = Math.floor(Date.now() / 1000);
    const before = await noopRuns();
    // Act
    const first = await post('replay/stripe', body, stripe(now - 30));
    const retry = await post('replay/stripe', body, stripe(now));
    // Assess
    expect([first.status, retry.status]).toEqual([202, 200]);
    expect(((await retry.json()) as { triggerInstance: string }).triggerInstance).toBe(((await first.json()) as { triggerInstance: string }).triggerInstance);
    expect(await noopRuns()).toBe(before + 1);
  });

  it('reads a missing signing key, or a missing webhooks/<name> key, once for 56 unauthenticated requests', async () => {
    // Prepare
    const body = '{"forged":true}';
    meter.reset();
    // Act
    const statuses = new Set<number>();
    for (let i = 0; i < 28; i++) {
      statuses.add((await post('replay/unkeyed', body, { 'x-hub-signature-256': `sha256=${hmac('guess', body)}` })).status);
      statuses.add((await post('replay/plain', body, { 'x-attune-signature': `sha256=${hmac('guess', body)}` })).status);
    }
    // Assess
    expect([...statuses]).toEqual([401]);
    expect(meter.total('secretsmanager', 'GetSecretValue')).toBe(2);
  });
});
