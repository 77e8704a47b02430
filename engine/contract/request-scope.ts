import { AsyncLocalStorage } from 'node:async_hooks';

/** The parts of the engine whose AWS requests the meter tells apart. */
export type RequestPart = 'api' | 'intake' | 'worker' | 'conductor' | 'reaper' | 'timers';

/**
 * What a request sent now is done for: the part of the engine, and the execution once known. An
 * HTTP request or an intake event learns its execution's id only when it creates it, so the id is
 * set on the scope later (`attributeRequests`) and requests sent before count for it too.
 */
export interface RequestScope {
  readonly part: RequestPart;
  execution?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` with every AWS request it sends (directly or in anything it awaits or starts)
 * attributed to `part` and, when given, to `execution`.
 * @example await inRequestScope('worker', message.executionId, () => lifecycle.claim(...))
 */
export function inRequestScope<T>(part: RequestPart, execution: string | undefined, fn: () => T): T {
  return scopes.run(execution === undefined ? { part } : { part, execution }, fn);
}

/**
 * Attributes the current scope's requests, earlier ones included, to `executionId`; the first
 * execution named wins (a dispatch that starts several executions is charged to the first).
 * A no-op outside a scope.
 */
export function attributeRequests(executionId: string): void {
  const scope = scopes.getStore();
  if (scope && scope.execution === undefined) scope.execution = executionId;
}

/** The scope of the code running now, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return scopes.getStore();
}

/**
 * Runs `fn` with its requests charged to the current part but to no execution: shared work that
 * serves many executions (a cached read), as idle polls are.
 */
export function outsideExecution<T>(fn: () => T): T {
  const scope = scopes.getStore();
  return scope ? scopes.run({ part: scope.part }, fn) : fn();
}
