import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WorkflowSpecError } from './errors.ts';
import type { SpecProblem } from './errors.ts';
import { parseInlineParams } from './inline-params.ts';

/** Orquesta's engine commands, usable in `do` beside task names. */
export const ENGINE_COMMANDS = ['continue', 'fail', 'noop', 'retry'] as const;

/** One `next` entry: a condition, the variables it publishes in order, the tasks it starts. */
export interface TransitionSpec {
  when?: string;
  publish: [string, unknown][];
  do: string[];
}

/** A task after Orquesta's normalisation (inline parameters split off the action, `with` as a mapping). */
export interface TaskSpec {
  name: string;
  action?: string;
  input?: unknown;
  next: TransitionSpec[];
  join?: 'all' | number;
  with?: { items: string; concurrency?: number | string };
  retry?: { when?: string; count: number | string; delay?: number | string };
  delay?: number | string;
}

/** A workflow definition (Orquesta native 1.0), normalised. */
export interface WorkflowSpec {
  version: '1.0';
  description?: string;
  /** Inputs in order; `hasDefault` tells `x` (no default) from `{x: null}`. */
  input: { name: string; default: unknown; hasDefault: boolean }[];
  vars: [string, unknown][];
  output: [string, unknown][];
  tasks: Record<string, TaskSpec>;
  /** Task names in the order written. */
  taskNames: string[];
}

const name = z.string().regex(/^\w+$/, 'a name of letters, digits and underscores');
const nonEmpty = z.string().min(1);
const positiveInt = z.number().int().min(1);
const stringOrPositive = z.union([nonEmpty, positiveInt]);
// Orquesta's ONE_KEY_DICT constrains only `\w+` keys' values (patternProperties without
// additionalProperties), so a variable may be named `published.hosts`, as st2's examples do.
const varName = z.string().min(1, 'a non-empty name');
const oneKeyDict = z.record(varName, z.unknown()).refine((d) => Object.keys(d).length === 1, 'one name: value pair per entry');

const transitionSchema = z.strictObject({
  when: nonEmpty.optional(),
  publish: z.union([nonEmpty, z.array(oneKeyDict)]).optional(),
  do: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
});

const taskSchema = z.strictObject({
  delay: stringOrPositive.optional(),
  join: z.union([z.literal('all'), positiveInt]).optional(),
  with: z.union([nonEmpty, z.strictObject({ items: nonEmpty, concurrency: stringOrPositive.optional() })]).optional(),
  action: nonEmpty.optional(),
  input: z.union([nonEmpty, z.record(z.string(), z.unknown()).refine((d) => Object.keys(d).length > 0, 'a non-empty mapping')]).optional(),
  retry: z.strictObject({ when: nonEmpty.optional(), count: stringOrPositive, delay: stringOrPositive.optional() }).optional(),
  next: z.array(transitionSchema).optional(),
});

const workflowSchema = z.strictObject({
  version: z.union([z.literal('1.0'), z.literal(1)]),
  description: z.string().optional(),
  input: z.array(z.union([varName, oneKeyDict])).optional(),
  vars: z.array(oneKeyDict).optional(),
  output: z.array(oneKeyDict).optional(),
  tasks: z.record(name, taskSchema).refine((t) => Object.keys(t).length > 0, 'at least one task'),
});

/**
 * PyYAML's YAML 1.1 booleans (`yes`, `no`, `on`, `off` in three cases) beside YAML 1.2's core
 * schema; the yaml library's own 1.1 schema also reads `y` and `n`, which PyYAML does not.
 */
const PYYAML_BOOLEANS = {
  identify: (value: unknown) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (text: string) => /^(?:yes|on)$/i.test(text),
};

/** `tasks.a.next[0].do` from zod's path. */
export function specPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out;
}

/**
 * Reads a workflow definition as YAML text (or an already parsed document) and normalises it as
 * Orquesta's spec classes do. Shape errors are all reported at once with their paths.
 *
 * @example parseWorkflowSpec('version: 1.0\ntasks:\n  a:\n    action: core.noop\n').tasks.a.action // 'core.noop'
 */
export function parseWorkflowSpec(source: string | unknown): WorkflowSpec {
  let document: unknown = source;
  if (typeof source === 'string') {
    try {
      document = parseYaml(source, { customTags: (tags) => [PYYAML_BOOLEANS, ...tags], maxAliasCount: 100 });
    } catch (error) {
      throw new WorkflowSpecError([{ path: '', category: 'syntax', message: `the definition is not YAML: ${(error as Error).message}` }], { cause: error });
    }
  }
  const parsed = workflowSchema.safeParse(document);
  if (!parsed.success) {
    const problems: SpecProblem[] = parsed.error.issues.map((issue) => ({
      path: specPath(issue.path),
      category: 'syntax',
      message: issue.message,
    }));
    throw new WorkflowSpecError(problems);
  }
  const raw = parsed.data;
  const tasks: Record<string, TaskSpec> = {};
  for (const [taskName, task] of Object.entries(raw.tasks)) tasks[taskName] = normaliseTask(taskName, task);
  return {
    version: '1.0',
    description: raw.description,
    input: (raw.input ?? []).map((entry) => {
      if (typeof entry === 'string') return { name: entry, default: null, hasDefault: false };
      const [key, value] = Object.entries(entry)[0] as [string, unknown];
      return { name: key, default: value, hasDefault: true };
    }),
    vars: (raw.vars ?? []).map(pair),
    output: (raw.output ?? []).map(pair),
    tasks,
    taskNames: Object.keys(tasks),
  };
}

function pair(entry: Record<string, unknown>): [string, unknown] {
  return Object.entries(entry)[0] as [string, unknown];
}

function normaliseTask(taskName: string, task: z.infer<typeof taskSchema>): TaskSpec {
  const spec: TaskSpec = { name: taskName, next: [] };
  if (task.action !== undefined) {
    spec.action = task.action;
    const inline = parseInlineParams(task.action);
    // Orquesta: inline parameters replace any `input` mapping, and the action is the first word.
    if (inline.length > 0) {
      spec.action = task.action.slice(0, task.action.indexOf(' '));
      spec.input = Object.fromEntries(inline);
    } else if (task.input !== undefined) {
      spec.input = task.input;
    }
  } else if (task.input !== undefined) {
    spec.input = task.input;
  }
  if (task.join !== undefined) spec.join = task.join;
  if (task.with !== undefined) spec.with = typeof task.with === 'string' ? { items: task.with } : task.with;
  if (task.retry !== undefined) spec.retry = task.retry;
  if (task.delay !== undefined) spec.delay = task.delay;
  for (const transition of task.next ?? []) {
    const publish = transition.publish === undefined ? [] : typeof transition.publish === 'string' ? parseInlineParams(transition.publish) : transition.publish.map(pair);
    // Orquesta: a transition without `do` continues.
    const targets = transition.do === undefined ? ['continue'] : typeof transition.do === 'string' ? transition.do.split(',').map((s) => s.trim()).filter((s) => s !== '') : transition.do;
    spec.next.push({ when: transition.when, publish, do: targets });
  }
  return spec;
}
