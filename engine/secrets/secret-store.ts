import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SECRET_MASK } from '../packs/parameters.ts';
import { LIST_PAGE_SIZE, MIN_MASKED_SECRET_LENGTH, SECRET_CACHE_TTL_MS, SECRET_VALUE_MAX_BYTES } from './defaults.ts';
import { InvalidSecretValue, SecretStoreFailed, SecretUnavailable, describeAwsError } from './errors.ts';
import type { SecretUnavailableReason } from './errors.ts';
import { secretIdFor, validateSecretName, validateSecretPrefix } from './secret-name.ts';

export interface SecretStoreOptions {
  /** The Secrets Manager client, from the contract's `createAwsClients().secrets`. */
  client: SecretsManagerClient;
  /** The engine's prefix (`ATTUNE_SECRET_PREFIX`, e.g. `attune/dev/`); names are stored under it. */
  prefix: string;
  /** How long a resolved value is reused; 0 turns the cache off. Defaults to SECRET_CACHE_TTL_MS. */
  cacheTtlMs?: number;
  /** The clock, in ms; defaults to Date.now. */
  now?: () => number;
  /** Names per ListSecrets page (1-100); defaults to LIST_PAGE_SIZE. */
  listPageSize?: number;
}

/** What `put` did. */
export interface PutSecretResult {
  /** True when the secret was created, false when a new version was put on an existing one. */
  created: boolean;
  /** The full name it is stored under (prefix included). */
  secretId: string;
}

type Fetched = { ok: true; value: string } | { ok: false; reason: SecretUnavailableReason; cause: unknown };

const REASON_BY_ERROR: Record<string, SecretUnavailableReason> = {
  ResourceNotFoundException: 'not-found',
  AccessDeniedException: 'access-denied',
  InvalidRequestException: 'invalid-request',
  InvalidParameterException: 'invalid-request',
  DecryptionFailure: 'decryption-failed',
};

/**
 * Secrets Manager as the engine reads and writes it: pack names live under the engine's prefix, a
 * full ARN is used as is. Resolved values, and names found missing, are kept in memory for a short
 * TTL (never persisted, and not visible to `util.inspect`), and concurrent reads of one secret share one GetSecretValue.
 * @example
 * const store = new SecretStore({ client: createAwsClients().secrets, prefix: config.secretPrefix });
 * const secrets = await store.resolve(action.secrets ?? {}); // { password: '…' }
 */
export class SecretStore {
  readonly prefix: string;
  readonly #client: SecretsManagerClient;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #pageSize: number;
  /** Values, and secrets found missing (so a flood of calls naming an unset secret costs one read per TTL). */
  readonly #cache = new Map<string, { fetched: Fetched; expiresAt: number }>();
  readonly #inFlight = new Map<string, Promise<Fetched>>();
  /** Bumped by put and invalidate, so a read that started before them does not cache what it got. */
  #generation = 0;

  constructor(options: SecretStoreOptions) {
    validateSecretPrefix(options.prefix);
    this.prefix = options.prefix;
    this.#client = options.client;
    this.#ttlMs = Math.max(0, options.cacheTtlMs ?? SECRET_CACHE_TTL_MS);
    this.#now = options.now ?? Date.now;
    this.#pageSize = Math.min(LIST_PAGE_SIZE, Math.max(1, options.listPageSize ?? LIST_PAGE_SIZE));
  }

  /**
   * Reads the secrets an action declares (`secrets: {key: name-or-arn}`), all at once.
   * @throws InvalidSecretName for a malformed name, before anything is read.
   * @throws SecretUnavailable for the first key (in the map's order) whose secret is missing or unreadable.
   */
  async resolve(refs: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const entries = Object.entries(refs).map(([key, ref]) => ({ key, ref, id: secretIdFor(ref, this.prefix, key) }));
    this.#evictExpired();
    const fetched = await Promise.all(entries.map((e) => this.#read(e.id)));
    const out: Record<string, string> = {};
    entries.forEach((e, i) => {
      const result = fetched[i] as Fetched;
      if (!result.ok) throw new SecretUnavailable(e.key, e.ref, e.id, result.reason, { cause: result.cause });
      out[e.key] = result.value;
    });
    return out;
  }

  /**
   * Reads one of the engine's own secrets by its full id or ARN (the HTTP API's keys), through the
   * same cache. Never for pack-named secrets: those go through `resolve` and its name checks.
   * @throws SecretUnavailable naming the id.
   */
  async readById(secretId: string): Promise<string> {
    this.#evictExpired();
    const result = await this.#read(secretId);
    if (!result.ok) throw new SecretUnavailable('(engine)', secretId, secretId, result.reason, { cause: result.cause });
    return result.value;
  }

  /**
   * Reads the version of one of the engine's own secrets that carries staging label `stage` (an
   * older sealing key, kept under its key id), through the same cache.
   * @throws SecretUnavailable naming the id and the label.
   */
  async readByIdAtStage(secretId: string, stage: string): Promise<string> {
    this.#evictExpired();
    const result = await this.#read(secretId, stage);
    if (!result.ok) throw new SecretUnavailable('(engine)', `${secretId} (version ${stage})`, secretId, result.reason, { cause: result.cause });
    return result.value;
  }

  /**
   * The versions of one of the engine's own secrets and their staging labels (never a value), and
   * the current value with its version id: what a key rotation decides on. Nothing is cached.
   * @throws SecretStoreFailed.
   */
  async versionsOf(secretId: string): Promise<{ current: { value: string; versionId: string }; versions: { versionId: string; stages: string[] }[] }> {
    try {
      const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (answer.SecretString === undefined || answer.VersionId === undefined) throw new Error('the current version holds no string');
      const versions: { versionId: string; stages: string[] }[] = [];
      let token: string | undefined;
      do {
        const page = await this.#client.send(new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: token, MaxResults: 100 }));
        for (const v of page.Versions ?? []) if (v.VersionId) versions.push({ versionId: v.VersionId, stages: v.VersionStages ?? [] });
        token = page.NextToken || undefined;
      } while (token !== undefined);
      return { current: { value: answer.SecretString, versionId: answer.VersionId }, versions };
    } catch (err) {
      throw new SecretStoreFailed('list', secretId, describeAwsError(err), { cause: err });
    }
  }

  /**
   * Puts a new current version of one of the engine's own secrets, with `labels` besides
   * AWSCURRENT in the same call (the previous version becomes AWSPREVIOUS and keeps its other
   * labels), and answers its version id. The value is never part of an error.
   * @throws SecretStoreFailed.
   */
  async putVersion(secretId: string, value: string, labels: string[] = []): Promise<string> {
    this.#forget(secretId);
    try {
      const answer = await this.#client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, VersionStages: ['AWSCURRENT', ...labels] }));
      if (answer.VersionId === undefined) throw new Error('no version id was answered');
      return answer.VersionId;
    } catch (err) {
      throw new SecretStoreFailed('put', secretId, describeAwsError(err).split(value).join(SECRET_MASK));
    } finally {
      this.#forget(secretId);
    }
  }

  /** Attaches staging label `stage` to version `versionId` of one of the engine's own secrets. @throws SecretStoreFailed. */
  async labelVersion(secretId: string, stage: string, versionId: string): Promise<void> {
    try {
      await this.#client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: stage, MoveToVersionId: versionId }));
    } catch (err) {
      throw new SecretStoreFailed('put', `${secretId} (version ${stage})`, describeAwsError(err), { cause: err });
    } finally {
      this.#forget(secretId);
    }
  }

  /** Drops every cached read of one secret id, whatever its label. */
  #forget(secretId: string): void {
    this.#generation += 1;
    for (const key of [...this.#cache.keys()]) if (key === secretId || key.startsWith(`${secretId}\n@`)) this.#cache.delete(key);
    for (const key of [...this.#inFlight.keys()]) if (key === secretId || key.startsWith(`${secretId}\n@`)) this.#inFlight.delete(key);
  }

  /** Forgets cached values: one secret (name or ARN), or all of them. */
  invalidate(ref?: string): void {
    this.#generation += 1;
    if (ref === undefined) {
      this.#cache.clear();
      this.#inFlight.clear();
    } else {
      const id = secretIdFor(ref, this.prefix);
      this.#cache.delete(id);
      this.#inFlight.delete(id);
    }
  }

  /**
   * Stores `value` as secret `name` under the prefix: creates it, or puts a new current version.
   * A value shorter than MIN_MASKED_SECRET_LENGTH is refused: it could not be masked in logs and
   * results without masking every occurrence of those few characters, and is guessable anyway.
   * @throws InvalidSecretName, InvalidSecretValue (empty, under 4 characters, over 64 KiB), SecretStoreFailed.
   */
  async put(name: string, value: string): Promise<PutSecretResult> {
    validateSecretName(name);
    const id = secretIdFor(name, this.prefix);
    if (value.length === 0) throw new InvalidSecretValue(name, 'is empty');
    if (value.length < MIN_MASKED_SECRET_LENGTH) {
      throw new InvalidSecretValue(name, `is ${value.length} character${value.length === 1 ? '' : 's'}, fewer than ${MIN_MASKED_SECRET_LENGTH}: so short a value cannot be masked in logs and results`);
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > SECRET_VALUE_MAX_BYTES) throw new InvalidSecretValue(name, `is ${bytes} bytes, more than Secrets Manager's ${SECRET_VALUE_MAX_BYTES}`);
    this.#generation += 1;
    this.#cache.delete(id);
    try {
      try {
        await this.#client.send(new CreateSecretCommand({ Name: id, SecretString: value, Description: 'Attune secret (attune secret set)' }));
        return { created: true, secretId: id };
      } catch (err) {
        if (!(err instanceof Error) || err.name !== 'ResourceExistsException') throw err;
      }
      await this.#client.send(new PutSecretValueCommand({ SecretId: id, SecretString: value }));
      return { created: false, secretId: id };
    } catch (err) {
      // No cause: an emulator's validation message may quote the value it was sent.
      throw new SecretStoreFailed('put', name, describeAwsError(err).split(value).join(SECRET_MASK));
    } finally {
      this.#generation += 1;
      this.#cache.delete(id);
      this.#inFlight.delete(id);
    }
  }

  /**
   * Creates secret `name` under the prefix with `value` unless it exists; never overwrites. Answers
   * whether this call created it: for a value that must be made once (a key) by whoever comes first.
   * @throws InvalidSecretName, SecretStoreFailed.
   */
  async create(name: string, value: string, description: string): Promise<boolean> {
    validateSecretName(name);
    const id = secretIdFor(name, this.prefix);
    this.#generation += 1;
    this.#cache.delete(id);
    this.#inFlight.delete(id);
    try {
      await this.#client.send(new CreateSecretCommand({ Name: id, SecretString: value, Description: description }));
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceExistsException') return false;
      // No cause: an emulator's validation message may quote the value it was sent.
      throw new SecretStoreFailed('put', name, describeAwsError(err).split(value).join(SECRET_MASK));
    } finally {
      this.#generation += 1;
    }
  }

  /**
   * Deletes secret `name` under the prefix at once, without a recovery window: for the engine's own
   * secrets that a record replaces (a datastore key deleted or overwritten). A missing one is fine.
   * @throws InvalidSecretName, SecretStoreFailed.
   */
  async delete(name: string): Promise<void> {
    validateSecretName(name);
    const id = secretIdFor(name, this.prefix);
    this.#generation += 1;
    this.#cache.delete(id);
    this.#inFlight.delete(id);
    try {
      await this.#client.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return;
      throw new SecretStoreFailed('delete', name, describeAwsError(err), { cause: err });
    }
  }

  /** Names of the secrets under the prefix (prefix stripped), sorted. Values are never read. */
  async list(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [this.prefix] }], MaxResults: this.#pageSize, NextToken: token }),
        );
        // The name filter is a case-insensitive, word-wise prefix match: keep exact prefix matches only.
        for (const s of page.SecretList ?? []) {
          if (s.Name?.startsWith(this.prefix) && s.DeletedDate === undefined) names.push(s.Name.slice(this.prefix.length));
        }
        token = page.NextToken || undefined;
      } while (token !== undefined);
    } catch (err) {
      throw new SecretStoreFailed('list', undefined, describeAwsError(err), { cause: err });
    }
    return [...new Set(names)].sort();
  }

  /** A read of the current version, or of the version labelled `stage` (cached apart). */
  #read(id: string, stage?: string): Promise<Fetched> {
    const key = stage === undefined ? id : `${id}\n@${stage}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expiresAt > this.#now()) return Promise.resolve(hit.fetched);
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending;
    const started: Promise<Fetched> = this.#fetch(id, key, stage).finally(() => {
      if (this.#inFlight.get(key) === started) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, started);
    return started;
  }

  async #fetch(id: string, key: string, stage?: string): Promise<Fetched> {
    const generation = this.#generation;
    try {
      const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: id, ...(stage === undefined ? {} : { VersionStage: stage }) }));
      if (answer.SecretString === undefined) return { ok: false, reason: 'not-a-string', cause: undefined };
      return this.#keep(key, generation, { ok: true, value: answer.SecretString });
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const reason = REASON_BY_ERROR[name] ?? 'service-failed';
      // Only "not found" is kept: a denied or failed read may succeed at once when retried.
      const fetched: Fetched = { ok: false, reason, cause: err };
      return reason === 'not-found' ? this.#keep(key, generation, fetched) : fetched;
    }
  }

  /** Caches what a read found unless put or invalidate ran since it started. */
  #keep(id: string, generation: number, fetched: Fetched): Fetched {
    if (this.#ttlMs > 0 && generation === this.#generation) this.#cache.set(id, { fetched, expiresAt: this.#now() + this.#ttlMs });
    return fetched;
  }

  #evictExpired(): void {
    const now = this.#now();
    for (const [id, entry] of this.#cache) if (entry.expiresAt <= now) this.#cache.delete(id);
  }
}
