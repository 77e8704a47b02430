/**
 * Reads an action-chain definition (StackStorm's `runner_type: action-chain`) as st2's
 * `ActionChain` and `Node` models and `ChainHolder.validate` read it: the shape, the default node,
 * and every `on-success` / `on-failure` / `default` name that is not a Jinja expression.
 */
import { z } from 'zod';
import { parseYaml } from '../../packs/index.ts';
import { ActionChainSpecError } from './errors.ts';
import type { ChainProblem } from './errors.ts';
import { templateWarnings } from './template-check.ts';

/** One node of the chain, normalised: `params` (st2's old name) folded into `parameters`. */
export interface ChainNode {
  name: string;
  ref: string;
  parameters: Record<string, unknown>;
  /** The next node's name on success / failure, or null to end there; may be a Jinja expression, resolved (and failed) when reached, as in st2. */
  onSuccess: string | null;
  onFailure: string | null;
  /** Variables rendered after the node ran, in the order written; null when none. */
  publish: Record<string, unknown> | null;
  /** st2's per-node notification settings (`on-complete`, `on-success`, `on-failure`), kept for the caller. */
  notify: Record<string, unknown> | null;
  /** The node as written, for st2's `chain` context of the node's execution ({@link nodeChainContext}). */
  written: Record<string, unknown>;
}

/** An action chain, normalised. */
export interface ActionChainSpec {
  nodes: ChainNode[];
  /** The node the chain starts from: `default` as written, else as st2's `_get_default` picks it. */
  default: string;
  /** Whether `default` was written (it may be a Jinja expression, which st2 never finds). */
  defaultWritten: boolean;
  vars: Record<string, unknown>;
  /**
   * What st2 accepts but ignores or fails on only when reached: fields it does not know on nodes
   * after the first (st2 checks only the first node's shape), nodes whose name an earlier node
   * already took, templates that do not parse.
   */
  warnings: string[];
}

const mapping = z.record(z.string(), z.unknown());
const notifySub = z.strictObject({
  message: z.string().optional(),
  data: mapping.optional(),
  routes: z.array(z.unknown()).optional(),
  channels: z.array(z.unknown()).optional(),
});
const nodeFields = {
  name: z.string(),
  ref: z.string(),
  params: mapping.nullish(),
  parameters: mapping.nullish(),
  'on-success': z.string().nullish(),
  'on-failure': z.string().nullish(),
  publish: mapping.nullish(),
  notify: z.strictObject({ 'on-complete': notifySub.optional(), 'on-failure': notifySub.optional(), 'on-success': notifySub.optional() }).nullish(),
};
const KNOWN_NODE_FIELDS = new Set(Object.keys(nodeFields));
// st2's schema gives `items` as a one-element list, which JSON Schema reads as a tuple: only the
// first node is checked against Node's schema (with additionalProperties false); the others are
// read field by field and anything else on them is ignored.
const firstNodeSchema = z.strictObject(nodeFields);
// st2 reads a later node's notify with `.get`, so fields it does not know there are ignored.
const laterNodeSchema = z.looseObject({ ...nodeFields, notify: mapping.nullish() });
const chainSchema = z.strictObject({
  chain: z.array(z.unknown(), { error: (issue) => (issue.input === undefined ? 'a list of nodes is required' : 'expected a list of nodes') }),
  default: z.string().nullish(),
  vars: mapping.nullish(),
});

type RawNode = z.infer<typeof laterNodeSchema>;

/** `chain[2].on-success` from zod's path. */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out;
}

/** Problems from zod's issues under `prefix`, one per unknown field so each is named. */
function problemsFrom(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[], unknownMessage: (key: string, at: readonly PropertyKey[]) => string): ChainProblem[] {
  return issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (keys.length === 0) return [{ path: pathOf([...prefix, ...issue.path]), message: issue.message }];
    return keys.map((key) => ({ path: pathOf([...prefix, ...issue.path, key]), message: unknownMessage(key, issue.path) }));
  });
}

/** st2's `jinja_utils.is_jinja_expression`: a name holding `{{` or `{%` is resolved only at run time. */
export function isJinjaExpression(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

function normaliseNode(raw: RawNode): ChainNode {
  return {
    name: raw.name,
    ref: raw.ref,
    // st2's Node.get_parameters: `parameters or params`, an empty mapping counting as absent.
    parameters: (raw.parameters !== null && raw.parameters !== undefined && Object.keys(raw.parameters).length > 0 ? raw.parameters : raw.params) ?? {},
    onSuccess: raw['on-success'] || null,
    onFailure: raw['on-failure'] || null,
    publish: raw.publish && Object.keys(raw.publish).length > 0 ? raw.publish : null,
    notify: raw.notify ?? null,
    written: raw as Record<string, unknown>,
  };
}

/**
 * st2's `vars(action_node)`, which its runner puts in a node execution's context as `chain`: every
 * field of the node schema under its Python name (`on_success`), null where not written; fields
 * outside the schema are left out as st2's Node leaves them.
 *
 * @example nodeChainContext(spec.nodes[0]) // { name: 'a', ref: 'core.noop', params: null, parameters: {...}, on_success: 'b', ... }
 */
export function nodeChainContext(node: ChainNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of KNOWN_NODE_FIELDS) {
    const value = Object.hasOwn(node.written, field) ? node.written[field] : null;
    Object.defineProperty(out, field.replace('-', '_'), { value: value ?? null, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** st2's `_get_default`: the first node no `on-success` / `on-failure` names, else the first node. */
function pickDefault(nodes: ChainNode[]): string {
  const referenced = new Set<string | null>(nodes.flatMap((n) => [n.onSuccess, n.onFailure]));
  return (nodes.find((n) => !referenced.has(n.name)) ?? nodes[0])?.name ?? '';
}

function checkReferences(nodes: ChainNode[], defaultName: string | null, problems: ChainProblem[]): void {
  const names = new Set(nodes.map((n) => n.name));
  const known = (name: string | null) => name === null || isJinjaExpression(name) || names.has(name);
  nodes.forEach((node, i) => {
    for (const [field, target] of [['on-success', node.onSuccess], ['on-failure', node.onFailure]] as const) {
      if (!known(target)) problems.push({ path: `chain[${i}].${field}`, message: `Unable to find node with name "${target}" referenced in "${field}" in task "${node.name}".` });
    }
  });
  if (defaultName !== null && !known(defaultName)) problems.push({ path: 'default', message: `Unable to find node with name "${defaultName}" referenced in "default".` });
}

/**
 * Reads an action-chain definition from YAML text (as PyYAML reads it) or an already parsed
 * document. Every problem is reported at once, each with its path (`chain[2].on-success`).
 *
 * @example
 * const spec = parseActionChainSpec('chain:\n  - name: hello\n    ref: core.local\n    parameters: {cmd: echo hi}\n');
 * spec.default // 'hello'
 * @throws ActionChainSpecError listing every problem.
 */
export function parseActionChainSpec(source: string | unknown, file = 'the action chain'): ActionChainSpec {
  let document: unknown = source;
  if (typeof source === 'string') {
    const read = parseYaml(source, file);
    if (!read.ok) throw new ActionChainSpecError(read.issues.map((issue) => ({ path: '', message: `${file} is not valid YAML: ${issue.message}`, ...(issue.line !== undefined && { line: issue.line }) })));
    document = read.data;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ActionChainSpecError([{ path: '', message: `expected a mapping with a "chain" list, got ${document === null || document === undefined ? 'nothing' : Array.isArray(document) ? 'a list' : typeof document}` }]);
  }
  const problems: ChainProblem[] = [];
  const top = chainSchema.safeParse(document);
  if (!top.success) {
    throw new ActionChainSpecError(problemsFrom(top.error.issues, [], (key) => `"${key}" is not a field of an action chain (chain, default, vars)`));
  }
  const nodes: ChainNode[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  top.data.chain.forEach((raw, i) => {
    const parsed = (i === 0 ? firstNodeSchema : laterNodeSchema).safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFrom(parsed.error.issues, ['chain', i], (key, at) => `"${key}" is not a field of ${at.length === 0 ? 'a chain node' : `"${at.map(String).join('.')}"`} (st2 refuses unknown fields on the first node)`));
      return;
    }
    // zod rebuilds records by assignment, which would turn a `__proto__` key into a prototype:
    // once checked, the document's own objects are read instead.
    const data = raw as RawNode;
    for (const key of Object.keys(data)) if (!KNOWN_NODE_FIELDS.has(key)) warnings.push(`chain[${i}].${key} is not a field of a chain node; st2 ignores it`);
    const hasParams = data.params !== null && data.params !== undefined && Object.keys(data.params).length > 0;
    const hasParameters = data.parameters !== null && data.parameters !== undefined && Object.keys(data.parameters).length > 0;
    if (hasParams && hasParameters) problems.push({ path: `chain[${i}]`, message: 'Either "params" or "parameters" attribute needs to be provided, but not both' });
    const node = normaliseNode(data);
    const earlier = seen.get(node.name);
    if (earlier !== undefined) warnings.push(`chain[${i}].name "${node.name}" is already the name of chain[${earlier}]; st2 always finds chain[${earlier}] by that name`);
    else seen.set(node.name, i);
    nodes.push(node);
  });
  if (top.data.chain.length === 0) problems.push({ path: 'chain', message: 'the chain has no nodes, so there is no default node to start from' });
  const written = top.data.default || null;
  if (problems.length === 0) checkReferences(nodes, written, problems);
  if (problems.length > 0) throw new ActionChainSpecError(problems);
  const vars = (document as { vars?: Record<string, unknown> | null }).vars ?? {};
  warnings.push(...templateWarnings(vars, 'vars'));
  nodes.forEach((node, i) => {
    const field = node.written['parameters'] === node.parameters ? 'parameters' : 'params';
    warnings.push(...templateWarnings(node.parameters, `chain[${i}].${field}`));
    warnings.push(...templateWarnings(node.publish, `chain[${i}].publish`));
  });
  return { nodes, default: written ?? pickDefault(nodes), defaultWritten: written !== null, vars, warnings };
}
