/** The variables a template reads from its context, as jinja2's meta.find_undeclared_variables finds them. */
import { JinjaSyntaxError, defaultGlobals, parseTemplate } from './jinja/index.ts';
import { isTemplate } from './render.ts';

const LEXER = { trimBlocks: true, lstripBlocks: true };
const GLOBALS = new Set(Object.keys(defaultGlobals()));

function collectTargets(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectTargets(item, into);
  else if (node && typeof node === 'object') {
    const n = node as { kind?: string; name?: string; items?: unknown[] };
    if ((n.kind === 'name' || n.kind === 'nsref') && typeof n.name === 'string') into.add(n.name);
    if (n.kind === 'tuple') collectTargets(n.items, into);
  }
}

/**
 * Walks any AST value: names read go to `read`, names a template assigns (loop and set targets,
 * macros and their parameters) go to `assigned`. The walk is generic over node shapes so that a
 * new statement kind is still searched for the names it reads.
 */
function walk(node: unknown, read: Set<string>, assigned: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, read, assigned);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (n.kind === 'name' && typeof n.name === 'string') {
    read.add(n.name);
    return;
  }
  if (n.kind === 'macro') {
    assigned.add(String(n.name));
    for (const p of n.params as { name: string }[]) assigned.add(p.name);
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'target') collectTargets(value, assigned);
    else if (key === 'targets' && Array.isArray(value)) {
      for (const pair of value as [unknown, unknown][]) {
        collectTargets(pair[0], assigned);
        walk(pair[1], read, assigned);
      }
    } else if (typeof value === 'object') walk(value, read, assigned);
  }
}

/**
 * The context names a template reads (its own assignments and jinja2's globals left out), or
 * undefined when `text` is not a template or does not parse: st2 then treats it as a plain value.
 *
 * @example
 * templateVariables('{{ host }}:{{ port | int }}') // → Set { 'host', 'port' }
 */
export function templateVariables(text: string): Set<string> | undefined {
  if (!isTemplate(text)) return undefined;
  let body;
  try {
    body = parseTemplate(text, LEXER).body;
  } catch (error) {
    // Not a template after all (st2's _process): a stray `{{` in text renders as itself.
    if (error instanceof JinjaSyntaxError) return undefined;
    throw error;
  }
  const read = new Set<string>();
  const assigned = new Set<string>();
  walk(body, read, assigned);
  return new Set([...read].filter((name) => !assigned.has(name) && !GLOBALS.has(name)));
}
