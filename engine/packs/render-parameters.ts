/**
 * Parameter rendering as st2's param.py does it: every parameter value and default that holds a
 * Jinja template is a node of a dependency graph over the other parameters and the contexts
 * (`action_context`, `config_context`, `st2kv`); nodes render in dependency order, a cycle is
 * reported naming its parameters, and each value is then cast to its declared type.
 */
import { TemplateError, renderString, renderTemplate, renderValue, templateVariables, type RenderHooks } from '../templates/index.ts';
import { describeValue } from '../rules/index.ts';
// Not re-exported by the rules index: only messages about secret values need it.
import { describeType } from '../rules/json.ts';
import type { ParameterDefinition } from './action-schema.ts';
import { CastFailure, castValue } from './casts.ts';
import type { ParameterIssue } from './errors.ts';

/**
 * What a parameter template sees besides the other parameters: `action_context`, the pack's
 * configuration (`config_context`) and the datastore (`st2kv`, with `decrypt_kv` in `hooks`).
 */
export interface ParameterContext {
  /** st2's `action_context`: `user`, `pack`, `execution_id`, and `rule` / `trigger_instance` for a rule's run. */
  action_context?: Record<string, unknown>;
  /** The pack's configuration (st2's `config_context`). */
  config_context?: Record<string, unknown>;
  /** The datastore lookup (`st2kv.system.key`), e.g. built with `kvRenderOptions`. */
  st2kv?: unknown;
  /** Template hooks, e.g. `decryptKv` from `kvRenderOptions`. */
  hooks?: RenderHooks;
  /**
   * Whether the supplied values are templates too (an operator's request, as st2 renders live
   * parameters). False for values that may carry untrusted data: a rule's parameters, already
   * rendered over the trigger payload, and the stored values a re-run repeats. Those are data,
   * never rendered again, so a payload holding `{{ ... }}` stays text. Defaults always render.
   */
  renderSupplied?: boolean;
}

type Node = { kind: 'value'; value: unknown } | { kind: 'template'; template: unknown; deps: Set<string> };

/** Every template-marked string's variables in a value, or undefined when it holds no template. */
function variablesOf(value: unknown): Set<string> | undefined {
  if (typeof value === 'string') return templateVariables(value);
  const parts = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [];
  let found: Set<string> | undefined;
  for (const part of parts) {
    const vars = variablesOf(part);
    if (vars) found = new Set([...(found ?? []), ...vars]);
  }
  return found;
}

function nodeFor(value: unknown): Node {
  // Defaults are shared by every execution of the action: each gets its own copy.
  value = structuredClone(value);
  const deps = variablesOf(value);
  return deps === undefined ? { kind: 'value', value } : { kind: 'template', template: value, deps };
}

/** Names of every cycle among template nodes, each cycle's names sorted, or [] when there is none. */
function findCycles(nodes: Map<string, Node>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    const node = nodes.get(name);
    for (const dep of node?.kind === 'template' ? node.deps : []) {
      if (!nodes.has(dep)) continue;
      if (state.get(dep) === 'open') cycles.push(stack.slice(stack.indexOf(dep)).sort());
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of nodes.keys()) if (!state.has(name)) visit(name);
  return cycles;
}

/**
 * Settles which template nodes render: a template none of whose names is a parameter or context is
 * st2's "embedded {{sometext}}", a plain value; one that names some known and some unknown names
 * cannot be satisfied.
 */
function settle(nodes: Map<string, Node>, issues: ParameterIssue[]): void {
  for (const [name, node] of nodes) {
    if (node.kind !== 'template' || node.deps.size === 0) continue;
    const unknown = [...node.deps].filter((dep) => !nodes.has(dep));
    if (unknown.length === node.deps.size) nodes.set(name, { kind: 'value', value: node.template });
    else if (unknown.length > 0) {
      issues.push({ parameter: name, message: `refers to ${unknown.map((u) => `"${u}"`).join(', ')}, which is neither a parameter nor action_context, config_context or st2kv` });
    }
  }
}

function renderNode(name: string, node: Node, def: ParameterDefinition | undefined, context: Record<string, unknown>, hooks: RenderHooks | undefined): unknown {
  if (node.kind === 'value') return node.value;
  const options = { label: `parameter "${name}"`, ...(hooks === undefined ? {} : { hooks }) };
  // st2 renders to text and casts; a whole `{{ expr }}` for a typed parameter keeps its JSON type here.
  if (typeof node.template === 'string') {
    return def?.type === undefined || def.type === 'string' ? renderTemplate(node.template, context, options) : renderString(node.template, context, options);
  }
  return renderValue(node.template, context, options);
}

/**
 * Renders and casts an action's parameters: `supplied` values (templates in them too) and the
 * defaults of the others, in dependency order. Immutable parameters always take their default.
 * Parameters that end without a value are left out. Problems are added to `issues`, each naming
 * its parameter; a secret parameter's value is never quoted.
 */
export function renderParameters(
  parameters: Readonly<Record<string, ParameterDefinition>>,
  supplied: Readonly<Record<string, unknown>>,
  context: ParameterContext,
  found: ParameterIssue[],
): Record<string, unknown> {
  const issues: ParameterIssue[] = [];
  const nodes = new Map<string, Node>();
  nodes.set('action_context', { kind: 'value', value: context.action_context ?? {} });
  nodes.set('config_context', { kind: 'value', value: context.config_context ?? {} });
  if (context.st2kv !== undefined) nodes.set('st2kv', { kind: 'value', value: context.st2kv });
  for (const [name, value] of Object.entries(supplied)) {
    if (!Object.hasOwn(parameters, name) || value === undefined || value === null) continue;
    nodes.set(name, context.renderSupplied === false ? { kind: 'value', value: structuredClone(value) } : nodeFor(value));
  }
  for (const [name, def] of Object.entries(parameters)) {
    if (!nodes.has(name) || def.immutable) nodes.set(name, nodeFor(def.default === undefined ? null : def.default));
  }
  settle(nodes, issues);
  const cycles = findCycles(nodes);
  if (cycles.length > 0) {
    const names = [...new Set(cycles.flat())].sort();
    issues.push({ parameter: names[0] ?? '', message: `cyclic dependency between parameters ${names.join(', ')}: each one's template refers, directly or not, to itself` });
  }
  if (issues.length > 0) {
    found.push(...issues);
    return {};
  }

  const resolved: Record<string, unknown> = {};
  const failed = new Set<string>();
  const resolve = (name: string): void => {
    if (Object.hasOwn(resolved, name) || failed.has(name)) return;
    const node = nodes.get(name);
    if (!node) return;
    if (node.kind === 'template') for (const dep of node.deps) resolve(dep);
    if (node.kind === 'template' && [...node.deps].some((dep) => failed.has(dep))) {
      failed.add(name);
      return;
    }
    const def = parameters[name];
    let value: unknown;
    try {
      value = renderNode(name, node, def, resolved, context.hooks);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      failed.add(name);
      issues.push({ parameter: name, message: `failed to render: ${error.message}` });
      return;
    }
    // Cast as soon as rendered, so templates that read this parameter see its declared type.
    try {
      if (def) value = castValue(value, def.type);
    } catch (error) {
      if (!(error instanceof CastFailure)) throw error;
      failed.add(name);
      const received = def?.secret ? describeType(value) : describeValue(value);
      issues.push({ parameter: name, message: `expected ${def?.type}, received ${received}` });
      return;
    }
    Object.defineProperty(resolved, name, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const name of nodes.keys()) resolve(name);

  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(parameters)) {
    const value = resolved[name];
    // A null default is st2's "no value" (allow_default_none) unless null is the declared type.
    if (!failed.has(name) && value !== undefined && (value !== null || def.type === 'null')) out[name] = value;
  }
  found.push(...issues);
  return out;
}
