import { RESERVED_SECRET_MARK } from '../contract/index.ts';
import { z } from 'zod';
import { OptionalPackSchema, ResourceNameSchema, optionalMapOf } from './meta-schema.ts';
import { NotifySchema } from './notify-schema.ts';

/**
 * Runners Attune knows (StackStorm names), and ours: `inject-trigger`, which dispatches the
 * `trigger` parameter with its `payload` through the engine (core.inject_trigger's runner).
 * `orquesta` and `action-chain` are workflows: their conductor runs them, never a worker.
 * `inquirer` (core.ask) runs nothing: its execution waits `pending` for a response.
 */
export const RUNNER_TYPES = ['local-shell-cmd', 'local-shell-script', 'python-script', 'nodejs', 'http-request', 'noop', 'inject-trigger', 'orquesta', 'action-chain', 'inquirer'] as const;
export type RunnerType = (typeof RUNNER_TYPES)[number];

/** st2's other names for runners (the `aliases` of its runner registrations). */
export const RUNNER_ALIASES: Readonly<Record<string, RunnerType>> = {
  'run-local': 'local-shell-cmd',
  'run-local-script': 'local-shell-script',
  'run-python': 'python-script',
  'http-runner': 'http-request',
};

/** The runner a `runner_type` names (an alias read as its runner), or undefined when Attune has none. */
export function canonicalRunner(name: string): RunnerType | undefined {
  if ((RUNNER_TYPES as readonly string[]).includes(name)) return name as RunnerType;
  return Object.hasOwn(RUNNER_ALIASES, name) ? RUNNER_ALIASES[name] : undefined;
}

/**
 * st2's runner parameters that actions use without declaring them (`runner.yaml` of st2's
 * runners): st2 merges them into every action of the runner, so st2's `core.http` declares
 * `method` and `params` but never `url`. A parameter the action declares wins.
 */
const RUNNER_PARAMETERS: Partial<Record<RunnerType, Record<string, Record<string, unknown>>>> = {
  'http-request': {
    url: { type: 'string', required: true, description: 'URL of the request (st2 http runner parameter)' },
    allow_redirects: { type: 'boolean', description: 'Follow redirects (st2 http runner parameter)' },
    cookies: { type: 'object', description: 'Cookies to send (st2 http runner parameter; not sent)' },
    http_proxy: { type: 'string', description: 'st2 http runner parameter; not used' },
    https_proxy: { type: 'string', description: 'st2 http runner parameter; not used' },
    username: { type: 'string', description: 'st2 http runner parameter; not used' },
    password: { type: 'string', secret: true, description: 'st2 http runner parameter; not used' },
    verify_ssl_cert: { type: 'boolean', description: 'st2 http runner parameter; not used' },
  },
};

function withRunnerParameters<P>(runner: RunnerType, declared: Record<string, P>): Record<string, P> {
  const extra = RUNNER_PARAMETERS[runner];
  if (extra === undefined) return declared;
  const out: Record<string, P> = {};
  for (const [name, def] of Object.entries(extra)) if (!Object.hasOwn(declared, name)) out[name] = ParameterSchema.parse(def) as P;
  return { ...out, ...declared };
}

/** Runners that execute a file of the pack, so `entry_point` is required. */
export const SCRIPT_RUNNERS: ReadonlySet<RunnerType> = new Set(['local-shell-script', 'python-script', 'nodejs', 'orquesta', 'action-chain']);

/** JSON Schema types a parameter may declare. */
export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** True when `value` is of JSON Schema type `type` (integer ⊂ number; booleans are not numbers). */
export function matchesType(value: unknown, type: ParameterType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'null':
      return value === null;
  }
}

/**
 * One action parameter (a JSON Schema property, as in st2). `type` may be omitted, as st2 actions
 * do when they only pin a runner parameter (`sudo: {immutable: true, default: false}`); other JSON
 * Schema keywords are kept but not enforced. As in st2, a default is not checked at registration
 * (null, 0 or "now" for another type all load): it is cast and checked when an execution uses it.
 */
export const ParameterSchema = z
  .looseObject({
    type: z.enum(PARAMETER_TYPES).optional(),
    description: z.string().optional(),
    default: z.unknown().optional(),
    required: z.boolean().default(false),
    secret: z.boolean().default(false),
    immutable: z.boolean().default(false),
    position: z.int().min(0).optional(),
    enum: z.array(z.unknown()).min(1).optional(),
  });

/** A validated parameter definition. */
export type ParameterDefinition = z.output<typeof ParameterSchema>;

/**
 * `actions/<name>.yaml`. Runner parameters (`cmd`, `timeout`, `url`, `method`…) are ordinary
 * parameters, as in st2. Ours: `secrets: {key: <secret name or ARN>}`, delivered on stdin.
 */
export const ActionSchema = z
  .looseObject({
    name: ResourceNameSchema,
    pack: OptionalPackSchema,
    description: z.string().optional(),
    // Any runner name loads, so one action with a runner Attune lacks (orquesta, remote-shell-cmd...)
    // does not refuse its whole pack: the action is kept, marked with why it cannot run.
    runner_type: z.string().min(1),
    entry_point: z.string().optional(),
    /** Ours: this action's per-stream log limit, within the worker's configured maximum. */
    log_limit_bytes: z.int().min(1024).optional(),
    enabled: z.boolean().default(true),
    /** st2's notifications when an execution of the action ends (core.st2.generic.notifytrigger). */
    notify: NotifySchema.optional(),
    parameters: optionalMapOf(ParameterSchema),
    secrets: optionalMapOf(
      z
        .string()
        .min(1)
        .refine((v) => !v.startsWith(RESERVED_SECRET_MARK), `names starting with "${RESERVED_SECRET_MARK}" are reserved for the engine`),
    ),
  })
  .transform((a) => {
    const runner = canonicalRunner(a.runner_type);
    if (runner) return { ...a, runner_type: runner, parameters: withRunnerParameters(runner, a.parameters) };
    const why = `runner type "${a.runner_type}" is not supported (supported: ${RUNNER_TYPES.join(', ')})`;
    return { ...a, runner_type: a.runner_type as RunnerType, unsupported: why };
  })
  .superRefine((a, ctx) => {
    if (SCRIPT_RUNNERS.has(a.runner_type) && !a.entry_point) {
      ctx.addIssue({ code: 'custom', path: ['entry_point'], message: `required for runner ${a.runner_type} (a file under actions/)` });
    }
    const positions = new Map<number, string>();
    for (const [name, p] of Object.entries(a.parameters)) {
      if (p.position === undefined) continue;
      const other = positions.get(p.position);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['parameters', name, 'position'], message: `position ${p.position} is already taken by ${other}` });
      }
      positions.set(p.position, name);
    }
    for (const key of Object.keys(a.secrets)) {
      if (Object.hasOwn(a.parameters, key)) {
        ctx.addIssue({ code: 'custom', path: ['secrets', key], message: 'also declared as a parameter: a secret is never a parameter' });
      }
    }
  });

/**
 * A validated action file. `unsupported` says why it cannot run (its runner is one Attune lacks);
 * `runner_type` then holds the name as written.
 */
export type ActionDefinition = z.output<typeof ActionSchema> & { unsupported?: string };
