import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import type { RuntimeConfig } from '../../engine/contract/index.ts';
import { Engine, executionIdFor } from '../../engine/service/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { handleIntakeBatch, type IntakeLog } from '../../functions/event-intake/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * EventBridge delivers at least once, and so does SQS: the event intake must turn an event it
 * sees twice into one trigger instance and one set of executions. A stage of its own, no worker:
 * the executions stay queued, which is all these tests look at.
 */
const SECRET = `tok-${randomBytes(8).toString('hex')}`;

const PACK: Record<string, string> = {
  'pack.yaml': 'ref: idem\nname: idem\ndescription: Event intake idempotency\nversion: 0.1.0\nauthor: attune\n',
  'actions/greet.yaml': [
    'name: greet',
    'runner_type: local-shell-cmd',
    'parameters:',
    '  cmd: {type: string, default: "echo hi"}',
    '  name: {type: string, required: true}',
    '  token: {type: string, secret: true}',
  ].join('\n'),
  'actions/vault.yaml': ['name: vault', 'runner_type: local-shell-cmd', 'parameters:', '  cmd: {type: string, default: "true"}', '  pin: {type: integer, secret: true}'].join('\n'),
  'rules/on_ping.yaml': [
    'name: on_ping',
    'trigger:',
    '  type: core.eventbridge',
    '  parameters: {source: [idem.tests], detail-type: [idem.ping]}',
    'action:',
    '  ref: idem.greet',
    '  parameters: {name: "{{ trigger.detail.name }}", token: "{{ trigger.detail.token }}"}',
  ].join('\n'),
  // The token is a string, the pin an integer: this rule's execution fails validation.
  'rules/bad_pin.yaml': [
    'name: bad_pin',
    'trigger:',
    '  type: core.eventbridge',
    '  parameters: {source: [idem.tests], detail-type: [idem.ping]}',
    'action:',
    '  ref: idem.vault',
    '  parameters: {pin: "{{ trigger.detail.token }}"}',
  ].join('\n'),
};

let config: RuntimeConfig;
let engine: Engine;
let packDir: string;
const logs: { level: string; message: string }[] = [];
const log: IntakeLog = (level, message) => void logs.push({ level, message });

beforeAll(async () => {
  config = await provisionLocal(`i${randomBytes(4).toString('hex')}`, awsClients());
  engine = new Engine(createStores(awsClients(), config));
  packDir = await mkdtemp(join(tmpdir(), 'attune-idem-'));
  for (const [file, text] of Object.entries(PACK)) {
    await mkdir(join(packDir, file, '..'), { recursive: true });
    await writeFile(join(packDir, file), `${text}\n`);
  }
  await engine.registerPack(await bundlePack(packDir));
}, 120_000);

afterAll(async () => {
  await rm(packDir, { recursive: true, force: true });
});

function eventBridgeEvent(name: string) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'idem.ping',
    source: 'idem.tests',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: { name, token: SECRET },
  };
}

/** The SQS event Lambda gets for one delivery of `event` (each delivery is a message of its own). */
const sqsEvent = (event: unknown) => ({ Records: [{ messageId: randomUUID(), body: JSON.stringify(event) }] });

async function executionsOf(action: string, triggerInstance: string) {
  const { items } = await engine.listExecutions({ action, limit: 100 });
  return items.filter((e) => e.triggerInstance === triggerInstance);
}

describe('event intake', () => {
  it('creates one set of executions for an EventBridge event delivered twice', async () => {
    // Prepare
    const event = eventBridgeEvent(`ada-${randomBytes(3).toString('hex')}`);
    const instance = `eb-${event.id}`;
    // Act
    const first = await handleIntakeBatch(engine, sqsEvent(event), log);
    const afterFirst = await executionsOf('idem.greet', instance);
    const second = await handleIntakeBatch(engine, sqsEvent(event), log);
    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    const greets = await executionsOf('idem.greet', instance);
    expect(greets).toHaveLength(1);
    expect(greets[0]).toMatchObject({ id: executionIdFor('idem.on_ping', instance), status: 'requested', rule: 'idem.on_ping' });
    // Enqueued once: the second delivery left the record as the first made it.
    expect(greets[0]?.sequenceNumber).toBeDefined();
    expect(greets[0]?.sequenceNumber).toBe(afterFirst[0]?.sequenceNumber);
    expect(await executionsOf('idem.vault', instance)).toHaveLength(1);
    const stored = await awsClients().ddb.send(new GetCommand({ TableName: config.eventsTable, Key: { pk: `trigger#${instance}`, sk: 'instance' } }));
    expect(stored.Item).toMatchObject({ type: 'core.eventbridge', payload: { id: event.id } });
  });

  it('seals the secret parameters of a redelivered event once', async () => {
    // Prepare
    const event = eventBridgeEvent('grace');
    const id = executionIdFor('idem.on_ping', `eb-${event.id}`);
    // Act
    await handleIntakeBatch(engine, sqsEvent(event), log);
    const first = await engine.stores.executions.get(id);
    await handleIntakeBatch(engine, sqsEvent(event), log);
    // Assess: the record keeps the envelope sealed first (a second sealing would differ: fresh data key).
    const execution = await engine.stores.executions.get(id);
    expect(execution.parameters).toMatchObject({ name: 'grace', token: '********' });
    expect(execution.sealedParameters).toMatch(/^attune-sealed:v2\.[0-9a-f]{16}\./);
    expect(execution.sealedParameters).toBe(first.sealedParameters);
    expect(execution.secretParameters).toBeUndefined();
  });

  it('stores the failed execution of a rule whose parameters are refused with its secrets masked', async () => {
    // Prepare
    const event = eventBridgeEvent('linus');
    // Act
    await handleIntakeBatch(engine, sqsEvent(event), log);
    // Assess
    const failed = await engine.stores.executions.get(executionIdFor('idem.bad_pin', `eb-${event.id}`));
    expect(failed).toMatchObject({ status: 'failed', parameters: { pin: '********' }, error: 'invalid parameters for action idem.vault: pin: expected integer, received string' });
    expect(JSON.stringify(failed)).not.toContain(SECRET);
  });

  it('gives each dispatch without an instance id a trigger instance of its own', async () => {
    // Prepare
    const event = eventBridgeEvent('margaret');
    // Act
    const first = await engine.dispatchTrigger({ type: 'core.eventbridge', payload: event });
    const second = await engine.dispatchTrigger({ type: 'core.eventbridge', payload: event });
    // Assess
    expect(second.triggerInstance).not.toBe(first.triggerInstance);
    expect(second.executions).toHaveLength(2);
    expect(second.executions.some((id) => first.executions.includes(id))).toBe(false);
  });
});
