import { z } from 'zod';
import { parseSettings, type SettingsEnv } from '../engine/contract/index.ts';
import { logFailure, type Log } from '../engine/logging/index.ts';

/** Set by the ECS agent in every container of a task on ECS (Fargate platform 1.4 and later). */
export const ECS_AGENT_URI_ENV = 'ECS_AGENT_URI';

/** The agent's task scale-in protection path, below `ECS_AGENT_URI`. */
export const TASK_PROTECTION_PATH = '/task-protection/v1/state';

/**
 * How long one request protects the task. Short, so that a worker that hangs or loses its agent
 * is not kept for hours by a protection nobody turns off; renewed well before it runs out.
 */
export const PROTECTION_MINUTES = 10;

/** Renewal while busy: a third of the protection, so two renewals may fail before it lapses. */
export const PROTECTION_RENEW_MS = (PROTECTION_MINUTES * 60_000) / 3;

/**
 * Idle this long before protection goes off: a worker running one short action after another
 * stays protected instead of sending two requests per action.
 */
export const PROTECTION_IDLE_DELAY_MS = 5_000;

/** One request to the agent gives up after this long; the next change or renewal tries again. */
const REQUEST_TIMEOUT_MS = 5_000;

export interface TaskProtectionOptions {
  /** The agent's base URI (`ECS_AGENT_URI`). */
  agentUri: string;
  log: Log;
  expiresInMinutes?: number;
  renewMs?: number;
  idleDelayMs?: number;
}

/**
 * Keeps an ECS task protected from scale-in while its worker runs actions. Told of every change of
 * busy (`busyChanged`): from idle to busy it turns protection on at once, and renews it while busy;
 * back to idle, after a short delay, it turns it off. Requests go out one at a time, in order. A
 * failed request is logged and never thrown: without protection a scale-in may stop the task,
 * and the worker then drains as on any SIGTERM.
 */
export class TaskProtection {
  readonly #url: string;
  readonly #log: Log;
  readonly #minutes: number;
  readonly #renewMs: number;
  readonly #idleDelayMs: number;
  #busy = false;
  #protected = false;
  #renewal: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: TaskProtectionOptions) {
    this.#url = `${options.agentUri.replace(/\/+$/, '')}${TASK_PROTECTION_PATH}`;
    this.#log = options.log;
    this.#minutes = options.expiresInMinutes ?? PROTECTION_MINUTES;
    this.#renewMs = options.renewMs ?? PROTECTION_RENEW_MS;
    this.#idleDelayMs = options.idleDelayMs ?? PROTECTION_IDLE_DELAY_MS;
  }

  /** The worker has actions running (`true`) or none (`false`); repeats are ignored. */
  busyChanged(busy: boolean): void {
    if (busy === this.#busy) return;
    this.#busy = busy;
    if (busy) {
      clearTimeout(this.#idle);
      this.#idle = undefined;
      if (!this.#protected) this.#protect();
      return;
    }
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      if (!this.#busy) this.#unprotect();
    }, this.#idleDelayMs);
    this.#idle.unref();
  }

  /** Stops the timers and turns protection off if it is on; resolves once the requests are sent. */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    this.#busy = false;
    if (this.#protected) this.#unprotect();
    await this.#chain;
  }

  /** Resolves once every request asked for so far has been answered or has failed. */
  settled(): Promise<void> {
    return this.#chain;
  }

  #protect(): void {
    this.#protected = true;
    this.#send(true);
    this.#renewal = setInterval(() => this.#send(true), this.#renewMs);
    this.#renewal.unref();
  }

  #unprotect(): void {
    this.#protected = false;
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    this.#send(false);
  }

  #send(enabled: boolean): void {
    const body = enabled ? { ProtectionEnabled: true, ExpiresInMinutes: this.#minutes } : { ProtectionEnabled: false };
    const what = enabled ? 'could not turn task scale-in protection on; a scale-in may stop this task while it runs actions' : 'could not turn task scale-in protection off; it lapses by itself';
    this.#chain = this.#chain.then(() => this.#put(body).catch(logFailure(this.#log, what, { expiresInMinutes: enabled ? this.#minutes : undefined })));
  }

  async #put(body: Record<string, unknown>): Promise<void> {
    const response = await fetch(this.#url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // The agent answers failures (no permission, unknown task) with a JSON body naming them.
    const text = await response.text();
    if (!response.ok) throw new Error(`the ECS agent answered ${response.status}: ${text.slice(0, 300)}`);
    const answer = safeJson(text) as { failure?: { Reason?: string }; error?: { Code?: string; Message?: string } } | undefined;
    const failure = answer?.failure?.Reason ?? answer?.error?.Message;
    if (failure) throw new Error(`the ECS agent refused: ${failure.slice(0, 300)}`);
    this.#log('debug', 'task scale-in protection set', { enabled: body.ProtectionEnabled });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const AgentSchema = z.object({ [ECS_AGENT_URI_ENV]: z.url({ protocol: /^https?$/ }).optional() });

/**
 * The task's protection when it runs on ECS (`ECS_AGENT_URI` set), else undefined: a worker under
 * `attune dev` or on a host of its own has no scale-in to guard against.
 * @throws InvalidEnvironment when `ECS_AGENT_URI` is set and not an http(s) URL.
 */
export function taskProtectionFromEnv(env: SettingsEnv, log: Log): TaskProtection | undefined {
  const agentUri = parseSettings(AgentSchema, env, 'worker settings')[ECS_AGENT_URI_ENV];
  return agentUri === undefined ? undefined : new TaskProtection({ agentUri, log });
}
