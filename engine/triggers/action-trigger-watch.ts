import { outsideExecution } from '../contract/index.ts';
import type { Rule } from '../packs/index.ts';
import { ACTION_TRIGGER } from './action-trigger.ts';

/** How long a worker or API process trusts its answer to "does a rule watch the actiontrigger?". */
export const ACTION_TRIGGER_WATCH_TTL_MS = 5_000;

/**
 * Whether an enabled rule is on `core.st2.generic.actiontrigger`, read from the registry at most
 * once per TTL per process. An execution's end is announced to the intake only when one is (or
 * when its action has `notify`), so a stage with no such rule pays no message, intake run or
 * trigger-instance write per execution. A rule registered on the actiontrigger sees the ends of
 * executions that end once the TTL has run. A failed read answers "watched": the end is
 * announced, as st2 always does.
 */
export class ActionTriggerWatch {
  readonly #registry: { listRules(triggerType?: string): Promise<Rule[]> };
  readonly #ttlMs: number;
  readonly #now: () => number;
  #answer: Promise<boolean> | undefined;
  #until = 0;

  constructor(registry: { listRules(triggerType?: string): Promise<Rule[]> }, ttlMs = ACTION_TRIGGER_WATCH_TTL_MS, now: () => number = Date.now) {
    this.#registry = registry;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  watched(): Promise<boolean> {
    const now = this.#now();
    if (this.#answer === undefined || now >= this.#until) {
      this.#until = now + this.#ttlMs;
      // Shared by every end within the TTL: charged to none of them.
      this.#answer = outsideExecution(() => this.#registry.listRules(ACTION_TRIGGER)).then(
        (rules) => rules.some((rule) => rule.enabled !== false),
        () => {
          this.#until = 0;
          return true;
        },
      );
    }
    return this.#answer;
  }
}
