/** What filters, tests and the interpreter share while one template renders. */
import type { UndefinedMode } from './values.ts';

/** What a filter or test may use besides its arguments. */
export interface FilterContext {
  readonly mode: UndefinedMode;
  getattr(obj: unknown, name: string): unknown;
  getitem(obj: unknown, key: unknown): unknown;
  callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown;
  callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean;
  hasFilter(name: string): boolean;
  hasTest(name: string): boolean;
  /** The items `for x in value` would visit. */
  iterate(value: unknown): unknown[];
  /** Counts work against the render's step budget (long loops inside filters). */
  step(count?: number): void;
  /** The caller's hooks, e.g. `decryptKv`. */
  readonly hooks: RenderHooks;
}

/** Functions the caller lends to filters that need the outside world. */
export interface RenderHooks {
  /** Reads a secret datastore value for `decrypt_kv`; its errors pass through. */
  decryptKv?: (value: unknown) => unknown;
}

/** A filter: `value | name(args, kwargs)`. */
export type Filter = (ctx: FilterContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;

/** A test: `value is name(args)`. */
export type Test = (ctx: FilterContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean;

/** Bounds on one render, so a hostile template cannot hold the process. */
export interface RenderLimits {
  /** Expression evaluations and loop iterations. */
  maxSteps: number;
  /** Characters of output. */
  maxOutputChars: number;
  /** Nested macro calls. */
  maxCallDepth: number;
}

/** Everything one render needs besides the template and its context. */
export interface RenderSettings {
  mode: UndefinedMode;
  filters: ReadonlyMap<string, Filter>;
  tests: ReadonlyMap<string, Test>;
  /** Names visible to every template (range, namespace, ... and the caller's functions). */
  globals: Readonly<Record<string, unknown>>;
  limits: RenderLimits;
  hooks: RenderHooks;
}
