import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidEnvironment } from '../../../engine/contract/index.ts';
import type { Log } from '../../../engine/logging/index.ts';
import { DEFAULT_DRAIN_SECONDS, drainWithin, loadDrainSeconds } from '../../../worker-host/shutdown.ts';
import { TASK_PROTECTION_PATH, TaskProtection, taskProtectionFromEnv } from '../../../worker-host/task-protection.ts';

/** A request the stand-in agent received. */
interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in for the ECS agent's endpoint on a real port: it records requests and answers as told. */
let agent: Server;
let agentUri: string;
let received: Received[];
let answer: { status: number; body: unknown };

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => resolve(text));
  });

beforeEach(async () => {
  received = [];
  answer = { status: 200, body: { protection: { ProtectionEnabled: true, TaskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/c/t' } } };
  agent = createServer((req, res) => {
    void readBody(req).then((text) => {
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) as unknown });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
  agentUri = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/api/task-1`;
});

afterEach(async () => {
  await new Promise((resolve) => agent.close(resolve));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collect(): { log: Log; lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return { lines, log: (level, message, fields) => lines.push({ level, message, fields }) };
}

describe('task scale-in protection', () => {
  it('turns protection on when the worker becomes busy and off once it has been idle a while', async () => {
    // Prepare
    const { log } = collect();
    const protection = new TaskProtection({ agentUri, log, expiresInMinutes: 10, idleDelayMs: 100 });
    // Act
    protection.busyChanged(true);
    await protection.settled();
    const whileBusy = [...received];
    protection.busyChanged(false);
    await sleep(250);
    await protection.settled();
    // Assess
    expect(whileBusy).toEqual([{ method: 'PUT', path: `/api/task-1${TASK_PROTECTION_PATH}`, contentType: 'application/json', body: { ProtectionEnabled: true, ExpiresInMinutes: 10 } }]);
    expect(received.map((r) => r.body)).toEqual([{ ProtectionEnabled: true, ExpiresInMinutes: 10 }, { ProtectionEnabled: false }]);
  });

  it('keeps protection on through a short idle between two actions', async () => {
    // Prepare
    const { log } = collect();
    const protection = new TaskProtection({ agentUri, log, idleDelayMs: 200 });
    // Act: busy, idle for less than the delay, busy again, and repeats of the same state.
    protection.busyChanged(true);
    protection.busyChanged(true);
    protection.busyChanged(false);
    await sleep(50);
    protection.busyChanged(true);
    await sleep(300);
    await protection.settled();
    // Assess
    expect(received.map((r) => r.body)).toEqual([{ ProtectionEnabled: true, ExpiresInMinutes: 10 }]);
    await protection.close();
    expect(received.map((r) => r.body).at(-1)).toEqual({ ProtectionEnabled: false });
  });

  it('renews protection before it expires while the worker stays busy, and stops renewing when idle', async () => {
    // Prepare
    const { log } = collect();
    const protection = new TaskProtection({ agentUri, log, renewMs: 100, idleDelayMs: 10 });
    // Act
    protection.busyChanged(true);
    await sleep(370);
    protection.busyChanged(false);
    await sleep(300);
    await protection.settled();
    // Assess: the first request and three renewals, then off, and nothing after it.
    const bodies = received.map((r) => r.body as { ProtectionEnabled: boolean });
    expect(bodies.filter((b) => b.ProtectionEnabled).length).toBeGreaterThanOrEqual(3);
    expect(bodies.at(-1)).toEqual({ ProtectionEnabled: false });
    expect(bodies.filter((b) => !b.ProtectionEnabled)).toHaveLength(1);
  });

  it('logs a refusal by the agent and an unreachable agent, and never throws', async () => {
    // Prepare
    const { log, lines } = collect();
    answer = { status: 400, body: { error: { Code: 'AccessDeniedException', Message: 'not authorized to perform ecs:UpdateTaskProtection' } } };
    const refused = new TaskProtection({ agentUri, log, idleDelayMs: 10 });
    const unreachable = new TaskProtection({ agentUri: 'http://127.0.0.1:1/api/task-1', log, idleDelayMs: 10 });
    // Act
    refused.busyChanged(true);
    unreachable.busyChanged(true);
    await Promise.all([refused.settled(), unreachable.settled()]);
    // Assess
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings.every((w) => w.message.startsWith('could not turn task scale-in protection on'))).toBe(true);
    expect(String(warnings.map((w) => w.fields?.error))).toMatch(/answered 400: .*AccessDeniedException/);
    await refused.close();
    await unreachable.close();
  });

  it('is on only where the ECS agent is, and names ECS_AGENT_URI when it is not a URL', () => {
    const { log } = collect();
    expect(taskProtectionFromEnv({}, log)).toBeUndefined();
    expect(taskProtectionFromEnv({ ECS_AGENT_URI: agentUri }, log)).toBeInstanceOf(TaskProtection);
    expect(() => taskProtectionFromEnv({ ECS_AGENT_URI: 'file:///etc/passwd' }, log)).toThrow(InvalidEnvironment);
    expect(() => taskProtectionFromEnv({ ECS_AGENT_URI: 'not a url' }, log)).toThrow(/ECS_AGENT_URI/);
  });
});

describe('bounded drain', () => {
  it('drains at once and exits with status 1 when the bound passes first', async () => {
    // Prepare
    const { log, lines } = collect();
    let drained = 0;
    const exits: number[] = [];
    // Act
    drainWithin({ drain: () => drained++ }, 0.1, log, (code) => exits.push(code));
    await sleep(250);
    // Assess
    expect(drained).toBe(1);
    expect(exits).toEqual([1]);
    expect(lines.at(-1)?.message).toMatch(/drain bound reached/);
  });

  it('never exits once the drain ended and the bound was cancelled', async () => {
    const { log } = collect();
    const exits: number[] = [];
    const cancel = drainWithin({ drain: () => undefined }, 0.1, log, (code) => exits.push(code));
    cancel();
    await sleep(200);
    expect(exits).toEqual([]);
  });

  it('reads ATTUNE_DRAIN_SECONDS, 100 s when unset, naming the variable when it is wrong', () => {
    expect(loadDrainSeconds({})).toBe(DEFAULT_DRAIN_SECONDS);
    expect(loadDrainSeconds({ ATTUNE_DRAIN_SECONDS: '30' })).toBe(30);
    expect(() => loadDrainSeconds({ ATTUNE_DRAIN_SECONDS: 'soon' })).toThrow(/ATTUNE_DRAIN_SECONDS/);
  });
});
