import { basename, resolve } from 'node:path';
import { isWorkflowRunner, parseDefinition, type WorkflowRunner } from '../workflow-runs/conductors.ts';
import type { z } from 'zod';
import { ActionSchema } from './action-schema.ts';
import { CONFIG_SCHEMA_FILE, ConfigSchemaFileSchema } from './config-schema.ts';
import type { ConfigSchema } from './config-schema.ts';
import { PackValidationError } from './errors.ts';
import type { PackIssue } from './errors.ts';
import { resolveEntryPoint } from './entry-point.ts';
import { PACK_REF_PATTERN, PackMetaSchema } from './meta-schema.ts';
import type { PackMeta } from './meta-schema.ts';
import { PolicySchema } from './policy-schema.ts';
import { checkPolicy, checkRule } from './resource-checks.ts';
import { RuleSchema } from './rule-schema.ts';
import type { Action, Pack, PackFiles, Policy, Rule } from './types.ts';
import { listPackFiles, readPackText } from './pack-files.ts';
import { readYaml } from './yaml-file.ts';
import { toPackIssues } from './zod-issues.ts';
import { checkRuleTrigger, loadTriggerTypes } from './trigger-types.ts';
import { loadSensors } from './sensors.ts';

const META_FILE = 'pack.yaml';
const RESOURCE_EXTENSIONS = /\.ya?ml$/;

interface Parsed<T> {
  file: string;
  value: T;
}

/** Validates one YAML file against `schema`; problems go to `issues`. */
async function parseFile<S extends z.ZodType>(root: string, file: string, schema: S, issues: PackIssue[]): Promise<z.output<S> | undefined> {
  const read = await readYaml(root, file);
  if (!read.ok) {
    issues.push(...read.issues);
    return undefined;
  }
  const parsed = schema.safeParse(read.data, { reportInput: true });
  if (!parsed.success) {
    issues.push(...toPackIssues(file, parsed.error));
    return undefined;
  }
  return parsed.data;
}

/** The `*.yaml`/`*.yml` files directly under `dir` (e.g. `actions/`), sorted; none when it is absent. */
async function listResourceFiles(root: string, dir: string, issues: PackIssue[]): Promise<string[]> {
  const listed = await listPackFiles(root, dir);
  if (!listed.ok) {
    issues.push({ file: dir, message: listed.reason });
    return [];
  }
  return listed.names
    .filter((name) => RESOURCE_EXTENSIONS.test(name))
    .map((name) => `${dir}/${name}`)
    .sort();
}

/** Parses every file of one kind, checking `pack:` and duplicate names. */
async function parseResources<S extends z.ZodType<{ name: string; pack?: string | undefined }>>(
  root: string,
  dir: string,
  schema: S,
  packRef: string,
  issues: PackIssue[],
): Promise<Parsed<z.output<S>>[]> {
  const out: Parsed<z.output<S>>[] = [];
  const seen = new Map<string, string>();
  for (const file of await listResourceFiles(root, dir, issues)) {
    const value = await parseFile(root, file, schema, issues);
    if (value === undefined) continue;
    if (value.pack !== undefined && value.pack !== packRef) {
      issues.push({ file, field: 'pack', message: `expected ${packRef} (the pack this file is in), received ${JSON.stringify(value.pack)}` });
    }
    const first = seen.get(value.name);
    if (first !== undefined) {
      issues.push({ file, field: 'name', message: `${packRef}.${value.name} is already defined in ${first}` });
      continue;
    }
    seen.set(value.name, file);
    out.push({ file, value });
  }
  return out;
}

/** A pack file that may be absent; one that cannot be read (a link, a FIFO) is an issue. */
async function readOptional(root: string, file: string, issues: PackIssue[]): Promise<string | undefined> {
  const read = await readPackText(root, file);
  if (read.ok) return read.text;
  if (!read.missing) issues.push({ file, message: read.reason });
  return undefined;
}

/** A workflow definition may be at most this big: it is stored with its action. */
const MAX_WORKFLOW_BYTES = 256 * 1024;

/** Reads and checks a workflow action's definition: every problem, with its path in the definition. */
async function loadWorkflowDefinition(root: string, entryPoint: string, runner: WorkflowRunner): Promise<{ ok: true; text: string } | { ok: false; problems: string[] }> {
  const read = await readPackText(root, entryPoint);
  if (!read.ok) return { ok: false, problems: [read.missing ? 'the workflow definition does not exist' : read.reason] };
  const text = read.text;
  if (Buffer.byteLength(text) > MAX_WORKFLOW_BYTES) return { ok: false, problems: [`the workflow definition is larger than ${MAX_WORKFLOW_BYTES} bytes`] };
  try {
    parseDefinition(runner, text);
    return { ok: true, text };
  } catch (err) {
    const problems = (err as { problems?: readonly { path: string; message: string }[] }).problems;
    if (problems && problems.length > 0) return { ok: false, problems: problems.map((p) => `${p.path}: ${p.message}`) };
    return { ok: false, problems: [(err as Error).message] };
  }
}

async function loadActions(root: string, packRef: string, issues: PackIssue[]): Promise<Action[]> {
  const actions: Action[] = [];
  for (const { file, value } of await parseResources(root, 'actions', ActionSchema, packRef, issues)) {
    const action: Action = { ...value, pack: packRef, ref: `${packRef}.${value.name}`, file };
    // st2's core actions carry `entry_point: ''`: an empty entry point is no entry point.
    if (value.entry_point) {
      const resolved = await resolveEntryPoint(root, value.entry_point);
      if (resolved.ok) action.entryPoint = resolved.path;
      else issues.push({ file, field: 'entry_point', message: resolved.message });
    }
    if (action.entryPoint !== undefined && isWorkflowRunner(action.runner_type)) {
      const definition = await loadWorkflowDefinition(root, action.entryPoint, action.runner_type);
      if (definition.ok) action.workflow = definition.text;
      else issues.push(...definition.problems.map((message) => ({ file: action.entryPoint as string, message })));
    }
    actions.push(action);
  }
  return actions;
}

/** The `ref` (or `name`) pack.yaml gives when the file as a whole is invalid, if it is a well-formed ref. */
async function refAsWritten(root: string): Promise<string | undefined> {
  const read = await readYaml(root, META_FILE);
  if (!read.ok || read.data === null || typeof read.data !== 'object') return undefined;
  const { ref, name } = read.data as { ref?: unknown; name?: unknown };
  return [ref, name].find((v): v is string => typeof v === 'string' && PACK_REF_PATTERN.test(v));
}

/** Options of {@link loadPack}. */
export interface LoadPackOptions {
  /**
   * What errors call the pack when its pack.yaml gives no valid ref. Default: the directory's
   * name, which for an uploaded bundle is a temporary name the caller should not show.
   */
  unnamed?: string;
}

/**
 * Loads and validates a StackStorm-format pack: `pack.yaml`, `actions/*.yaml`, `rules/*.yaml`,
 * `policies/*.yaml`, `triggers/*.yaml` (and sensors' `trigger_types:`), `config.schema.yaml`, and the dependency files `requirements.txt` and `package.json` (kept
 * verbatim). Refs are resolved to `<pack>.<name>`. Unknown keys are tolerated, as st2 packs carry
 * extra metadata. The only I/O is reading the directory.
 *
 * @example
 * const pack = await loadPack('packs/examples');
 * pack.actions.map((a) => a.ref); // → ['examples.greet']
 * @throws PackValidationError listing every issue found (file, field or line, message).
 */
export async function loadPack(dir: string, options: LoadPackOptions = {}): Promise<Pack> {
  const root = resolve(dir);
  const issues: PackIssue[] = [];
  const meta: PackMeta | undefined = await parseFile(root, META_FILE, PackMetaSchema, issues);
  // Without a valid pack.yaml, keep checking the rest under the directory's name (or the caller's).
  const packRef = meta?.ref ?? (await refAsWritten(root)) ?? options.unnamed ?? basename(root);

  const actions = await loadActions(root, packRef, issues);
  const actionsByRef = new Map(actions.map((a) => [a.ref, a]));

  const triggerTypes = await loadTriggerTypes(root, packRef, issues);
  const sensors = await loadSensors(root, packRef, issues);

  const rules: Rule[] = [];
  for (const { file, value } of await parseResources(root, 'rules', RuleSchema, packRef, issues)) {
    issues.push(...checkRule(file, value, packRef, actionsByRef), ...checkRuleTrigger(file, value, packRef, triggerTypes));
    rules.push({ ...value, pack: packRef, ref: `${packRef}.${value.name}`, file });
  }

  const policies: Policy[] = [];
  for (const { file, value } of await parseResources(root, 'policies', PolicySchema, packRef, issues)) {
    issues.push(...checkPolicy(file, value, packRef, actionsByRef));
    policies.push({ ...value, pack: packRef, ref: `${packRef}.${value.name}`, file });
  }

  // Optional, as in st2: a pack without one takes any config and gets no defaults.
  let configSchema: ConfigSchema | undefined;
  const schemaRead = await readPackText(root, CONFIG_SCHEMA_FILE);
  // Present but unreadable (a link) is parsed too, so its issue is reported.
  if (schemaRead.ok || !schemaRead.missing) configSchema = await parseFile(root, CONFIG_SCHEMA_FILE, ConfigSchemaFileSchema, issues);

  const files: PackFiles = {};
  const requirementsTxt = await readOptional(root, 'requirements.txt', issues);
  const packageJson = await readOptional(root, 'package.json', issues);
  if (requirementsTxt !== undefined) files.requirementsTxt = requirementsTxt;
  if (packageJson !== undefined) files.packageJson = packageJson;
  const packageLock = packageJson === undefined ? undefined : await readOptional(root, 'package-lock.json', issues);
  if (packageLock !== undefined) files.packageLock = packageLock;

  if (issues.length > 0 || meta === undefined) throw new PackValidationError(packRef, root, issues);
  return { dir: root, meta, actions, rules, policies, triggerTypes, sensors, files, ...(configSchema ? { configSchema } : {}) };
}
