import { listPackFiles } from './pack-files.ts';
import type { PackIssue } from './errors.ts';
import { checkPayload } from '../triggers/payload-check.ts';
import { WebhookSignatureSchema } from '../triggers/webhook-signature.ts';
import { SensorTriggerTypesSchema, TriggerTypeSchema } from './trigger-type-schema.ts';
import type { TriggerTypeDefinition } from './trigger-type-schema.ts';
import type { TriggerType } from './types.ts';
import { readYaml } from './yaml-file.ts';
import { toPackIssues } from './zod-issues.ts';

const YAML_FILE = /\.ya?ml$/;

/** The YAML files of a pack folder, read without following a link out of the pack. */
async function yamlFiles(root: string, dir: string, issues: PackIssue[]): Promise<string[]> {
  const listed = await listPackFiles(root, dir);
  if (!listed.ok) {
    issues.push({ file: dir, message: listed.reason });
    return [];
  }
  return listed.names.filter((name) => YAML_FILE.test(name)).map((name) => `${dir}/${name}`).sort();
}

/** Validates one trigger type definition read from `file` (at `prefix` inside it). */
function parseTriggerType(file: string, prefix: string, data: unknown, issues: PackIssue[]): TriggerTypeDefinition | undefined {
  const parsed = TriggerTypeSchema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  issues.push(...toPackIssues(file, parsed.error).map((i) => (prefix === '' ? i : { ...i, field: i.field ? `${prefix}.${i.field}` : prefix })));
  return undefined;
}

/**
 * The trigger types a pack defines, as st2 registers them: one per `triggers/*.yaml`, and one per
 * entry of each `sensors/*.yaml`'s `trigger_types:` list. Refs are `<pack>.<name>`; a `pack:` other
 * than the pack's, or a name defined twice, is an issue. Problems go to `issues`.
 */
export async function loadTriggerTypes(root: string, packRef: string, issues: PackIssue[]): Promise<TriggerType[]> {
  const found: { file: string; field: string; value: TriggerTypeDefinition }[] = [];
  for (const file of await yamlFiles(root, 'triggers', issues)) {
    const read = await readYaml(root, file);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    const value = parseTriggerType(file, '', read.data, issues);
    if (value) found.push({ file, field: '', value });
  }
  for (const file of await yamlFiles(root, 'sensors', issues)) {
    const read = await readYaml(root, file);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    const sensor = SensorTriggerTypesSchema.safeParse(read.data, { reportInput: true });
    if (!sensor.success) {
      issues.push(...toPackIssues(file, sensor.error));
      continue;
    }
    (sensor.data.trigger_types ?? []).forEach((entry, i) => {
      const value = parseTriggerType(file, `trigger_types.${i}`, entry, issues);
      if (value) found.push({ file, field: `trigger_types.${i}.`, value });
    });
  }
  const seen = new Map<string, string>();
  const types: TriggerType[] = [];
  for (const { file, field, value } of found) {
    if (value.pack != null && value.pack !== packRef) {
      issues.push({ file, field: `${field}pack`, message: `expected ${packRef} (the pack this file is in), received ${JSON.stringify(value.pack)}` });
    }
    const first = seen.get(value.name);
    if (first !== undefined) {
      issues.push({ file, field: `${field}name`, message: `trigger type ${packRef}.${value.name} is already defined in ${first}` });
      continue;
    }
    seen.set(value.name, file);
    types.push({ ...value, pack: packRef, ref: `${packRef}.${value.name}`, file });
  }
  return types;
}

/**
 * A rule on a trigger type of its own pack must name one the pack defines (as a rule on one of its
 * actions must); types of other packs are checked at registration, against what is registered.
 * A webhook rule's `signature` parameter must be a valid signature configuration.
 */
export function checkRuleTrigger(file: string, rule: { trigger: { type: string; parameters?: Record<string, unknown> } }, packRef: string, types: readonly TriggerType[]): PackIssue[] {
  const type = rule.trigger.type;
  const own = types.find((t) => t.ref === type);
  if (own) return triggerParameterIssues(file, rule.trigger.parameters, own);
  if (type === 'core.st2.webhook') return webhookParameterIssues(file, rule.trigger.parameters ?? {});
  if (!type.startsWith(`${packRef}.`)) return [];
  const known = types.map((t) => t.ref).join(', ') || 'none';
  return [{ file, field: 'trigger.type', message: `no trigger type ${type} in this pack (it defines ${known}; add triggers/${type.slice(packRef.length + 1)}.yaml)` }];
}

/**
 * A rule's trigger parameters checked against its pack-defined type's `parameters_schema`, as st2
 * does when `validate_trigger_parameters` is on (its default): each issue names
 * `trigger.parameters.<path>`.
 */
export function triggerParameterIssues(file: string, parameters: Record<string, unknown> | undefined, type: Pick<TriggerType, 'ref' | 'parameters_schema'>): PackIssue[] {
  return checkPayload(type.parameters_schema, parameters ?? {}).map((issue) => ({
    file,
    field: issue.path === '' ? 'trigger.parameters' : `trigger.parameters.${issue.path}`,
    message: `${issue.message} (the parameters_schema of ${type.ref})`,
  }));
}

/** What a `core.st2.webhook` rule's trigger parameters may hold: st2's `url`, and Attune's `signature`. */
const WEBHOOK_PARAMETERS = ['url', 'signature'];

/**
 * A webhook rule's parameters: st2 refuses keys besides `url` (its schema has
 * additionalProperties: false); Attune adds `signature`, which must be a valid configuration. A
 * misspelt `signature` would leave the webhook unsigned, so it is an issue, not ignored.
 */
function webhookParameterIssues(file: string, parameters: Record<string, unknown>): PackIssue[] {
  const issues: PackIssue[] = Object.keys(parameters)
    .filter((key) => !WEBHOOK_PARAMETERS.includes(key))
    .map((key) => ({ file, field: `trigger.parameters.${key}`, message: `not a parameter of core.st2.webhook (expected ${WEBHOOK_PARAMETERS.join(', ')})` }));
  if (parameters['signature'] === undefined) return issues;
  const parsed = WebhookSignatureSchema.safeParse(parameters['signature'], { reportInput: true });
  if (!parsed.success) issues.push(...toPackIssues(file, parsed.error).map((i) => ({ ...i, field: i.field ? `trigger.parameters.signature.${i.field}` : 'trigger.parameters.signature' })));
  return issues;
}
