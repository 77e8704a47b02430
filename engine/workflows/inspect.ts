import { findExpressions, validateText } from '../expressions/yaql/index.ts';
import { WorkflowSpecError } from './errors.ts';
import type { SpecProblem } from './errors.ts';
import { startTasks } from './graph.ts';
import { ENGINE_COMMANDS, parseWorkflowSpec } from './spec.ts';
import type { TaskSpec, WorkflowSpec } from './spec.ts';

// `ctx(name)`, `ctx('name')`, `ctx().name`: the variables an expression reads, as Orquesta's inspection finds them.
const CTX_READS = [/ctx\(\s*['"]?(\w+)['"]?\s*\)/g, /ctx\(\)\.(\w+)(?![\w(])/g];

/** Every string inside a value, for expression checks. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** The fields of a task Orquesta checks, with their spec paths. */
function taskFields(task: TaskSpec): [string, unknown][] {
  const at = `tasks.${task.name}`;
  const fields: [string, unknown][] = [];
  if (task.delay !== undefined) fields.push([`${at}.delay`, task.delay]);
  if (task.with !== undefined) fields.push([`${at}.with.items`, task.with.items], [`${at}.with.concurrency`, task.with.concurrency]);
  if (task.action !== undefined) fields.push([`${at}.action`, task.action]);
  if (task.input !== undefined) fields.push([`${at}.input`, task.input]);
  if (task.retry !== undefined) fields.push([`${at}.retry.when`, task.retry.when], [`${at}.retry.count`, task.retry.count], [`${at}.retry.delay`, task.retry.delay]);
  return fields;
}

/** Expressions that do not parse, everywhere in the definition. */
function inspectExpressions(spec: WorkflowSpec): SpecProblem[] {
  const fields: [string, unknown][] = [];
  spec.input.forEach((entry, i) => fields.push([`input[${i}]`, entry.default]));
  spec.vars.forEach(([, value], i) => fields.push([`vars[${i}]`, value]));
  spec.output.forEach(([, value], i) => fields.push([`output[${i}]`, value]));
  for (const name of spec.taskNames) {
    const task = spec.tasks[name] as TaskSpec;
    fields.push(...taskFields(task));
    task.next.forEach((t, i) => {
      fields.push([`tasks.${name}.next[${i}].when`, t.when]);
      t.publish.forEach(([, value], j) => fields.push([`tasks.${name}.next[${i}].publish[${j}]`, value]));
    });
  }
  return fields.flatMap(([path, value]) => strings(value).flatMap((text) => validateText(text).map((error) => ({
    path, category: 'expressions' as const, expression: error.expression, message: `expression does not parse: ${error.reason} at ${error.position}`,
  }))));
}

/** Graph problems: reserved names, no start task, `do` naming an unknown task, with-items without an action. */
function inspectSemantics(spec: WorkflowSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const name of spec.taskNames) {
    if ((ENGINE_COMMANDS as readonly string[]).includes(name)) problems.push({ path: `tasks.${name}`, category: 'semantics', message: `The task name "${name}" is reserved with special function.` });
  }
  const starts = startTasks(spec);
  if (starts.length === 0) {
    problems.push({ path: 'tasks', category: 'semantics', message: 'Unable to identify any tasks to start the workflow. If the workflow has a loop, please add a task that serves as an entry point (or lead) into the loop.' });
  }
  const traversed = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    traversed.add(name);
    const task = spec.tasks[name];
    if (task === undefined) continue;
    task.next.forEach((transition, i) => {
      for (const target of transition.do) {
        if (traversed.has(target)) continue;
        if (spec.tasks[target] !== undefined) {
          if (!queue.includes(target)) queue.push(target);
        } else if (!(ENGINE_COMMANDS as readonly string[]).includes(target)) {
          problems.push({ path: `tasks.${name}.next[${i}].do`, category: 'semantics', message: `The task "${target}" is not defined.` });
        }
      }
    });
  }
  for (const name of spec.taskNames) {
    const task = spec.tasks[name] as TaskSpec;
    if (task.with !== undefined && task.action === undefined) problems.push({ path: `tasks.${name}`, category: 'semantics', message: 'The action property is required for with items task.' });
  }
  return problems;
}

/** Variables read before any input, var or publish on the way to them could have set them. */
function inspectContext(spec: WorkflowSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const check = (path: string, value: unknown, known: ReadonlySet<string>) => {
    for (const text of strings(value)) {
      for (const found of findExpressions(text)) {
        for (const pattern of CTX_READS) {
          for (const match of found.expression.matchAll(pattern)) {
            const variable = match[1] as string;
            if (known.has(variable) || problems.some((p) => p.path === path && p.expression === found.segment)) continue;
            problems.push({ path, category: 'context', expression: found.segment, message: `Variable "${variable}" is referenced before assignment.` });
          }
        }
      }
    }
  };
  const initial = new Set<string>();
  spec.input.forEach((entry, i) => { check(`input[${i}]`, entry.default, initial); initial.add(entry.name); });
  spec.vars.forEach(([name, value], i) => { check(`vars[${i}]`, value, initial); initial.add(name); });
  const rolling = new Set(initial);
  const seen = new Set<string>();
  const queue: [string, Set<string>][] = startTasks(spec).map((name) => [name, new Set(initial)]);
  const predecessors = (name: string) => spec.taskNames.filter((t) => spec.tasks[t]?.next.some((n) => n.do.includes(name)));
  const processed = new Set<string>();
  const joined = new Map<string, Set<string>>();
  while (queue.length > 0) {
    const [name, arrived] = queue.shift() as [string, Set<string>];
    let known = arrived;
    if (spec.tasks[name]?.join !== undefined) {
      // A join sees what every inbound branch published: wait until they all were walked.
      const union = joined.get(name) ?? new Set<string>();
      for (const variable of known) union.add(variable);
      for (let i = queue.length - 1; i >= 0; i -= 1) {
        const [other, more] = queue[i] as [string, Set<string>];
        if (other !== name) continue;
        for (const variable of more) union.add(variable);
        queue.splice(i, 1);
      }
      joined.set(name, union);
      const waiting = predecessors(name).some((p) => !processed.has(p)) && queue.some(([other]) => spec.tasks[other]?.join === undefined);
      if (waiting) {
        queue.push([name, union]);
        continue;
      }
      known = union;
    }
    processed.add(name);
    const key = `${name}:${[...known].sort().join(',')}`;
    const task = spec.tasks[name];
    if (task === undefined || seen.has(key) || seen.size > 10_000) continue;
    seen.add(key);
    for (const variable of known) rolling.add(variable);
    for (const [path, value] of taskFields(task)) check(path, value, known);
    task.next.forEach((transition, i) => {
      const out = new Set(known);
      check(`tasks.${name}.next[${i}].when`, transition.when, out);
      transition.publish.forEach(([variable, value], j) => {
        check(`tasks.${name}.next[${i}].publish[${j}]`, value, out);
        out.add(variable);
        rolling.add(variable);
      });
      for (const target of transition.do) queue.push([target, out]);
    });
  }
  spec.output.forEach(([name, value], i) => { check(`output[${i}]`, value, rolling); rolling.add(name); });
  return problems;
}

/** Every problem Orquesta's `inspect` would report for a parsed definition; empty when it is sound. */
export function inspectWorkflow(spec: WorkflowSpec): SpecProblem[] {
  const expressions = inspectExpressions(spec);
  // An expression that does not parse cannot be read for variables.
  return [...expressions, ...inspectSemantics(spec), ...(expressions.length > 0 ? [] : inspectContext(spec))];
}

/**
 * Parses and checks a workflow definition; throws {@link WorkflowSpecError} listing every
 * problem, each with its path, the task and the expression concerned.
 */
export function loadWorkflow(source: string | unknown): WorkflowSpec {
  const spec = parseWorkflowSpec(source);
  const problems = inspectWorkflow(spec);
  if (problems.length > 0) throw new WorkflowSpecError(problems);
  return spec;
}
