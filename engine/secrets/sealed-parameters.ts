import { createHash, randomBytes } from 'node:crypto';
import { SEALING_KEY_SECRET } from '../contract/index.ts';
import type { Execution } from '../executions/index.ts';
// Not re-exported by the rules index: JSON helpers the secrets module shares with it.
import { describeJsonSyntaxError, describeType, isPlainObject } from '../rules/json.ts';
import { SECRET_VALUE_MAX_BYTES } from './defaults.ts';
import { openEnvelope, sealEnvelope } from './envelope.ts';
import { SecretUnavailable, SecretsError } from './errors.ts';
import type { SecretStore } from './secret-store.ts';

/**
 * The sealed document as an object of parameter values. A broken one is reported by where it
 * breaks and its length, with no cause: V8's parse error quotes the start of the document.
 */
function parseSealed(name: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SecretsError(`sealed parameters ${name} ${describeJsonSyntaxError(error, text)}`);
  }
  if (!isPlainObject(value)) throw new SecretsError(`sealed parameters ${name}: expected a JSON object, received ${describeType(value)}`);
  return value;
}

/**
 * The stage's key-encryption key: SHA-256 of its secret's text, so any text of enough entropy
 * serves (Secrets Manager generates 64 letters and digits; a local stack, 32 random bytes in
 * base64). A shorter value is refused by name, never quoted.
 */
function decodeKey(text: string): Buffer {
  if (text.length < 32) throw new SecretsError(`secret ${SEALING_KEY_SECRET} does not hold a sealing key: expected at least 32 characters, found ${text.length}`);
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The key sealed parameters are sealed under. The deployment creates it; where nobody did (a local
 * stack), the first sealer creates it, create-only, so two racing processes end up with one key.
 */
async function sealingKey(secrets: Pick<SecretStore, 'readById' | 'prefix'> & Partial<Pick<SecretStore, 'create'>>): Promise<Buffer> {
  const id = `${secrets.prefix}${SEALING_KEY_SECRET}`;
  try {
    return decodeKey(await secrets.readById(id));
  } catch (err) {
    // Unsealing never creates it: a missing key there is an error naming the secret.
    if (!(secrets.create && err instanceof SecretUnavailable && err.reason === 'not-found')) throw err;
  }
  await secrets.create(SEALING_KEY_SECRET, randomBytes(32).toString('base64'), 'Attune: key-encryption key of sealed secret parameters');
  return decodeKey(await secrets.readById(id));
}

/**
 * Seals the values of an execution's secret parameters into an envelope (AES-256-GCM under a fresh
 * data key, the data key sealed under the stage's key) that the execution record carries: nothing
 * is stored per execution elsewhere, and the envelope expires with the record.
 * @throws SecretsError when the values exceed SECRET_VALUE_MAX_BYTES (the bound sealed values had as secrets).
 */
export async function sealParameterValues(secrets: Pick<SecretStore, 'readById' | 'create' | 'prefix'>, values: Record<string, unknown>): Promise<string> {
  const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
  if (plaintext.length > SECRET_VALUE_MAX_BYTES) throw new SecretsError(`secret parameters ${Object.keys(values).join(', ')} are ${plaintext.length} bytes as JSON, more than the ${SECRET_VALUE_MAX_BYTES} allowed`);
  try {
    return sealEnvelope(await sealingKey(secrets), plaintext);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * An execution's parameters with its sealed secret values put back (for the worker and re-runs):
 * from the envelope in the record, or, for executions sealed before envelopes, from the secret the
 * record names.
 * @throws EnvelopeInvalid when the envelope was altered or sealed under another key; SecretUnavailable
 *   when the key or the older secret cannot be read; SecretsError when the values are not a JSON
 *   object (no message quotes them).
 */
export async function unsealParameters(
  secrets: Pick<SecretStore, 'resolve' | 'readById' | 'prefix'>,
  execution: Pick<Execution, 'id' | 'parameters' | 'secretParameters' | 'sealedParameters'>,
): Promise<Record<string, unknown>> {
  if (execution.sealedParameters) {
    const what = `sealed parameters of execution ${execution.id}`;
    const plaintext = openEnvelope(await sealingKey({ readById: (id) => secrets.readById(id), prefix: secrets.prefix }), execution.sealedParameters, what);
    return { ...execution.parameters, ...parseSealed(`of execution ${execution.id}`, plaintext.toString('utf8')) };
  }
  if (!execution.secretParameters) return execution.parameters;
  const { sealed } = await secrets.resolve({ sealed: execution.secretParameters });
  return { ...execution.parameters, ...parseSealed(execution.secretParameters, sealed as string) };
}
