import { createHash } from 'node:crypto';
import { packConfigSecretName } from '../contract/index.ts';
import { kvRenderOptions, type KeyValueStore } from '../datastore/index.ts';
import { ParameterValidationError, applyConfigDefaults, sealConfig, unsealConfig, validatePackConfig, type Action, type ConfigSecret, type ParameterIssue } from '../packs/index.ts';
import type { PackConfigRecord, PackConfigStore, Registry } from '../registry/index.ts';
import { Masker, SecretsError, secretValuesOf, type SecretStore } from '../secrets/index.ts';
import { templateVariables, type RenderHooks } from '../templates/index.ts';
import { UnknownPack } from './errors.ts';

/** What reading and writing pack configs needs of the stores. */
export interface PackConfigDeps {
  registry: Pick<Registry, 'getPack'>;
  configs: Pick<PackConfigStore, 'get' | 'put'>;
  secrets: Pick<SecretStore, 'put' | 'readById' | 'invalidate' | 'prefix'>;
}

/** What resolving the config of a run needs: reads only. */
export interface RunConfigDeps {
  registry: Pick<Registry, 'getPack'>;
  configs: Pick<PackConfigStore, 'get'>;
  secrets: Pick<SecretStore, 'readById' | 'invalidate' | 'prefix'>;
}

/** A pack's config as the API answers it: secret values masked. */
export interface PackConfigView {
  pack: string;
  config: Record<string, unknown>;
  /** When it was last put; absent while the operator has put none. */
  updatedAt?: string;
}

/** A config as the worker hands it to an action, and its secret values for the masker. */
export interface RunConfig {
  config: Record<string, unknown>;
  secretValues: unknown[];
}

const digestOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** The secret values stored for a config. A broken document is named by its secret, never quoted. */
function parseSecrets(name: string, text: string): ConfigSecret[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SecretsError(`pack config secret ${name}: not JSON (${text.length} characters)`);
  }
  const ok = Array.isArray(value) && value.every((e) => typeof e === 'object' && e !== null && Array.isArray((e as ConfigSecret).path));
  if (!ok) throw new SecretsError(`pack config secret ${name}: expected a list of {path, value}`);
  return value as ConfigSecret[];
}

/**
 * The secret values of a stored config. A cached copy older than the record (another process put
 * the config since) is dropped and read again, so a new config reaches the next run at once.
 */
async function readSecrets(deps: Pick<RunConfigDeps, 'secrets'>, record: PackConfigRecord | undefined): Promise<ConfigSecret[]> {
  if (!record?.secretName) return [];
  const id = `${deps.secrets.prefix}${record.secretName}`;
  let text = await deps.secrets.readById(id);
  if (record.secretDigest !== undefined && digestOf(text) !== record.secretDigest) {
    deps.secrets.invalidate(record.secretName);
    text = await deps.secrets.readById(id);
  }
  return parseSecrets(record.secretName, text);
}

/**
 * Stores an operator's config for a registered pack: validated against its `config.schema.yaml`
 * first, then the secret values written to the pack's config secret, then the record (which keeps
 * `********` in their place), so a refused or failed put leaves the previous config whole.
 * A secret sent back as `********` keeps its stored value.
 * @throws UnknownPack, PackConfigInvalid (naming each field), SecretStoreFailed.
 */
export async function putPackConfig(deps: PackConfigDeps, pack: string, config: unknown): Promise<PackConfigView> {
  const record = await deps.registry.getPack(pack);
  if (!record) throw new UnknownPack(pack);
  const schema = record.configSchema ?? {};
  // Only the shape first: a secret sent back as `********` is checked once its stored value is back.
  validatePackConfig(pack, {}, config);
  const previous = await deps.configs.get(pack);
  const sealed = sealConfig(schema, config as Record<string, unknown>, await readSecrets(deps, previous));
  validatePackConfig(pack, schema, unsealConfig(sealed.values, sealed.secrets));
  const stored: PackConfigRecord = { pack, values: sealed.values, updatedAt: new Date().toISOString() };
  if (sealed.secrets.length > 0) {
    const text = JSON.stringify(sealed.secrets);
    const name = packConfigSecretName(pack);
    await deps.secrets.put(name, text);
    Object.assign(stored, { secretName: name, secretDigest: digestOf(text) });
  }
  await deps.configs.put(stored);
  return { pack, config: stored.values, updatedAt: stored.updatedAt };
}

/**
 * A registered pack's stored config, secret values masked; `{}` while none was put.
 * @throws UnknownPack.
 */
export async function getPackConfig(deps: Pick<PackConfigDeps, 'registry' | 'configs'>, pack: string): Promise<PackConfigView> {
  if (!(await deps.registry.getPack(pack))) throw new UnknownPack(pack);
  const record = await deps.configs.get(pack);
  return record ? { pack, config: record.values, updatedAt: record.updatedAt } : { pack, config: {} };
}

/**
 * The config an action of `pack` runs with, as st2's config loader builds it: the stored config
 * with its secret values put back, then the schema's defaults. `{}` for an unknown pack.
 * @throws SecretUnavailable when the config's secret cannot be read.
 */
export async function resolveRunConfig(deps: RunConfigDeps, pack: string): Promise<RunConfig> {
  const [packRecord, record] = await Promise.all([deps.registry.getPack(pack), deps.configs.get(pack)]);
  const secrets = await readSecrets(deps, record);
  const config = applyConfigDefaults(packRecord?.configSchema ?? {}, unsealConfig(record?.values ?? {}, secrets));
  return { config, secretValues: secrets.map((s) => s.value) };
}

/** What an action's parameter templates read besides the parameters, and the secrets they may use. */
export interface TemplateSources {
  /** `config_context`: the pack's run config when a template names it, else `{}`. */
  config_context: Record<string, unknown>;
  /** `st2kv`, when a template names it: the keys templates reference, read once. */
  st2kv?: unknown;
  /** `decrypt_kv`, recording every value it answers. */
  hooks?: RenderHooks;
  /** The secret values a render may have put in clear: the config's, and what `decrypt_kv` answered. */
  secretValues(): string[];
}

/** What reading the template sources needs: the run config's stores and the datastore. */
export type TemplateSourceDeps = RunConfigDeps & { keyValues: Pick<KeyValueStore, 'getMany'> };

/**
 * Reads what an action's parameter templates need, and nothing more: the pack's config (secret
 * values put back, defaults applied, as the action itself gets it) only when a template names
 * `config_context`, the datastore keys only when one names `st2kv` (see `kvRenderOptions`).
 * `supplied` values count as templates only when they render (`renderSupplied`).
 * @throws SecretUnavailable when the config's secret cannot be read.
 */
export async function templateSources(deps: TemplateSourceDeps, action: Pick<Action, 'pack' | 'parameters'>, supplied: Record<string, unknown>, renderSupplied: boolean): Promise<TemplateSources> {
  const templates: unknown[] = Object.values(action.parameters).map((def) => def.default);
  if (renderSupplied) templates.push(...Object.values(supplied));
  const names = new Set<string>();
  collectNames(templates, names, 0);
  const secrets: string[] = [];
  const sources: TemplateSources = { config_context: {}, secretValues: () => [...secrets] };
  if (names.has('config_context')) {
    const run = await resolveRunConfig(deps, action.pack);
    sources.config_context = run.config;
    secrets.push(...run.secretValues.flatMap((v) => secretValuesOf(v)));
  }
  if (names.has('st2kv')) {
    const kv = await kvRenderOptions(deps.keyValues, templates);
    const decryptKv = kv.hooks.decryptKv;
    sources.st2kv = kv.globals.st2kv;
    sources.hooks = {
      ...kv.hooks,
      ...(decryptKv === undefined
        ? {}
        : {
            decryptKv: (value: unknown) => {
              const clear = decryptKv(value);
              secrets.push(...secretValuesOf(clear));
              return clear;
            },
          }),
    };
  }
  return sources;
}

function collectNames(value: unknown, into: Set<string>, depth: number): void {
  // Parameter values are JSON documents of bounded depth; a deeper one holds no template we render.
  if (depth > 64) return;
  if (typeof value === 'string') {
    for (const name of templateVariables(value) ?? []) into.add(name);
  } else if (Array.isArray(value)) {
    for (const item of value) collectNames(item, into, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectNames(item, into, depth + 1);
  }
}

/**
 * Refuses rendered parameters that hold a secret value (of the pack config, or decrypted from the
 * datastore) in a parameter not marked `secret: true`: the execution record keeps such a value as
 * is, so it would be stored and shown in clear. A secret parameter is sealed as always. Any form
 * the masker knows (as is, inside text, JSON-escaped, base64, ...) counts; values under 4
 * characters are not recognised, as the masker does not mask them.
 * @throws ParameterValidationError naming each such parameter, never the value.
 */
export function refuseSecretsInClear(action: Pick<Action, 'ref' | 'parameters'>, rendered: Record<string, unknown>, secretValues: readonly string[]): void {
  if (secretValues.length === 0) return;
  const masker = Masker.fromSecrets(secretValues);
  const issues: ParameterIssue[] = [];
  for (const [name, value] of Object.entries(rendered)) {
    if (action.parameters[name]?.secret === true) continue;
    if (JSON.stringify(masker.maskJson(value)) !== JSON.stringify(value)) {
      issues.push({ parameter: name, message: 'renders a secret value (of the pack config or the datastore) into a parameter that is not secret: mark the parameter secret: true so the value is sealed, not stored in clear' });
    }
  }
  if (issues.length > 0) throw new ParameterValidationError(action.ref, issues);
}
