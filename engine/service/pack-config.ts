import { createHash } from 'node:crypto';
import { packConfigSecretName } from '../contract/index.ts';
import { applyConfigDefaults, sealConfig, unsealConfig, validatePackConfig, type ConfigSecret } from '../packs/index.ts';
import type { PackConfigRecord, PackConfigStore, Registry } from '../registry/index.ts';
import { SecretsError, type SecretStore } from '../secrets/index.ts';
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
