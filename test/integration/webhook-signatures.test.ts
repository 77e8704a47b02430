import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { SecretStore } from '../../engine/secrets/index.ts';
import type { ErrorEnvelope } from '../../engine/wire/index.ts';
import { startTestEngine, type TestEngine } from './engine-harness.ts';
import { awsClients } from './support.ts';

/**
 * core.st2.webhook as GitHub, Slack and Stripe send it: each rule names its scheme and the secret
 * holding the signing key; the engine reads the key from the secret store and checks the HMAC.
 */
let t: TestEngine;
let scratch: string;
const KEYS = { github: 'gh-key-1', slack: 'slack-key-2', stripe: 'whsec_3' };

const hookRule = (name: string, url: string, signature: string) =>
  [`name: ${name}`, 'trigger:', '  type: core.st2.webhook', '  parameters:', `    url: ${url}`, `    signature: ${signature}`, 'action:', '  ref: core.echo', '  parameters:', '    message: "{{ trigger.body.text }}"'].join('\n');

async function packBundle(name: string, files: Record<string, string>): Promise<Uint8Array> {
  const dir = join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), `${text}\n`);
  }
  return bundlePack(dir);
}
const packYaml = (ref: string) => `ref: ${ref}\nname: ${ref}\ndescription: signed webhooks\nversion: 0.1.0\nauthor: attune`;

const send = (url: string, body: string, headers: Record<string, string>) =>
  fetch(`${t.engine.url}/v1/webhooks/${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const echoCount = async () => (await t.client.listExecutions({ action: 'core.echo', limit: 100 })).items.length;

beforeAll(async () => {
  t = await startTestEngine({ workers: 0 });
  scratch = await mkdtemp(join(tmpdir(), 'attune-webhooks-'));
  const secrets = new SecretStore({ client: awsClients().secrets, prefix: t.engine.config.secretPrefix });
  for (const [scheme, key] of Object.entries(KEYS)) await secrets.put(`hooks/${scheme}`, key);
  await t.client.registerPack(
    await packBundle('signed', {
      'pack.yaml': packYaml('signed'),
      'rules/gh.yaml': hookRule('gh', 'signed/github', '{type: github, secret: hooks/github}'),
      'rules/slack.yaml': hookRule('slack', 'signed/slack', '{type: slack, secret: hooks/slack}'),
      'rules/stripe.yaml': hookRule('stripe', 'signed/stripe', '{type: stripe, secret: hooks/stripe, tolerance: 60}'),
      'rules/unkeyed.yaml': hookRule('unkeyed', 'signed/unkeyed', '{type: github, secret: hooks/never-stored}'),
    }),
  );
}, 120_000);

afterAll(async () => {
  await t?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('webhooks as senders send them', () => {
  it('answers 404 for a webhook URL no rule listens on, storing nothing', async () => {
    // Prepare
    const before = await echoCount();
    // Act
    const res = await send('signed/nobody', '{}', { authorization: `Bearer ${t.apiKey}` });
    // Assess
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('unknown_webhook');
    expect(await echoCount()).toBe(before);
  });

  it('runs the rule for a GitHub delivery signed with X-Hub-Signature-256, and refuses a forged one with 401', async () => {
    // Prepare
    const body = JSON.stringify({ text: 'from github' });
    const before = await echoCount();
    // Act
    const good = await send('signed/github', body, { 'x-hub-signature-256': `sha256=${hmac(KEYS.github, body)}`, 'x-github-event': 'push' });
    const forged = await send('signed/github', body, { 'x-hub-signature-256': `sha256=${hmac('guessed', body)}` });
    // Assess
    expect(good.status).toBe(202);
    const { executions } = (await good.json()) as { executions: string[] };
    expect((await t.client.getExecution(executions[0]!)).parameters).toMatchObject({ message: 'from github' });
    expect(forged.status).toBe(401);
    expect(await echoCount()).toBe(before + 1);
  });

  it('takes a fresh Slack request and refuses the same request replayed with a six-minute-old timestamp', async () => {
    // Prepare
    const body = JSON.stringify({ text: 'from slack' });
    const now = Math.floor(Date.now() / 1000);
    const slackHeaders = (ts: number) => ({ 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${hmac(KEYS.slack, `v0:${ts}:${body}`)}` });
    const before = await echoCount();
    // Act
    const fresh = await send('signed/slack', body, slackHeaders(now));
    const replayed = await send('signed/slack', body, slackHeaders(now - 360));
    // Assess
    expect(fresh.status).toBe(202);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as ErrorEnvelope).error.message).toMatch(/X-Slack-Request-Timestamp is 36\d s away from the server's clock, more than the 300 s allowed/);
    expect(await echoCount()).toBe(before + 1);
  });

  it('checks Stripe-Signature against the rule tolerance, and refuses all while the signing secret is not stored', async () => {
    // Prepare
    const body = JSON.stringify({ text: 'from stripe' });
    const now = Math.floor(Date.now() / 1000);
    const stripe = (ts: number) => ({ 'stripe-signature': `t=${ts},v1=${hmac(KEYS.stripe, `${ts}.${body}`)}` });
    // Act
    const fresh = await send('signed/stripe', body, stripe(now));
    const stale = await send('signed/stripe', body, stripe(now - 120));
    const unkeyed = await send('signed/unkeyed', body, { 'x-hub-signature-256': `sha256=${hmac('', body)}` });
    // Assess
    expect(fresh.status).toBe(202);
    expect(stale.status).toBe(401);
    expect(unkeyed.status).toBe(401);
    expect(((await unkeyed.json()) as ErrorEnvelope).error.message).toContain("signing secret is not stored");
  });

  it('refuses at registration a rule that signs an already signed webhook differently, or names no secret', async () => {
    // Prepare
    const conflicting = await packBundle('rival', { 'pack.yaml': packYaml('rival'), 'rules/r.yaml': hookRule('r', 'signed/github', '{type: slack, secret: hooks/slack}') });
    const secretless = await packBundle('bare', { 'pack.yaml': packYaml('bare'), 'rules/r.yaml': hookRule('r', 'bare/hook', '{type: github}') });
    // Act
    const rival = await t.client.registerPack(conflicting).catch((e: unknown) => e as Error);
    const bare = await t.client.registerPack(secretless).catch((e: unknown) => e as Error);
    // Assess
    expect((rival as Error).message).toMatch(/rules\/r\.yaml: trigger\.parameters\.signature: webhook "signed\/github" is already signed differently by rule signed\.gh/);
    expect((bare as Error).message).toMatch(/rules\/r\.yaml: trigger\.parameters\.signature\.secret: required/);
  });
});
