import type { Execution } from '../executions/index.ts';
// Not re-exported by the rules index: JSON helpers the secrets module shares with it.
import { describeJsonSyntaxError, describeType, isPlainObject } from '../rules/json.ts';
import { SECRET_VALUE_MAX_BYTES } from './defaults.ts';
import { sealEnvelope } from './envelope.ts';
import { SecretsError } from './errors.ts';
import type { SecretStore } from './secret-store.ts';
import { currentSealingKey, openSealed, type SealingKeySource } from './sealing-key.ts';

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
 * Seals the values of execution `executionId`'s secret parameters into an envelope (AES-256-GCM
 * under a fresh data key, the data key sealed under the stage's current key, both bound to the
 * execution id) that the execution record carries: nothing is stored per execution elsewhere, and
 * the envelope expires with the record. Copied into another record, it does not open.
 * @throws SecretsError when the values exceed SECRET_VALUE_MAX_BYTES (the bound sealed values had as secrets).
 */
export async function sealParameterValues(secrets: Pick<SecretStore, 'readById' | 'create' | 'prefix'>, values: Record<string, unknown>, executionId: string): Promise<string> {
  const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
  if (plaintext.length > SECRET_VALUE_MAX_BYTES) throw new SecretsError(`secret parameters ${Object.keys(values).join(', ')} are ${plaintext.length} bytes as JSON, more than the ${SECRET_VALUE_MAX_BYTES} allowed`);
  try {
    return sealEnvelope(await currentSealingKey(secrets), plaintext, executionId);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The envelope of `previous`'s sealed values opened and sealed again for execution `nextId` (a
 * retry): an envelope is bound to its execution, so it is never copied. Sealed under the current
 * key, whichever key sealed the original.
 * @throws EnvelopeInvalid, SecretUnavailable as unsealParameters does.
 */
export async function resealParameters(secrets: SealingKeySource & Pick<SecretStore, 'create'>, previous: Pick<Execution, 'id' | 'sealedParameters'>, nextId: string): Promise<string> {
  if (!previous.sealedParameters) throw new SecretsError(`execution ${previous.id} has no sealed parameters to seal again`);
  const plaintext = await openSealed(secrets, previous.sealedParameters, `sealed parameters of execution ${previous.id}`, previous.id);
  try {
    return sealEnvelope(await currentSealingKey(secrets), plaintext, nextId);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * An execution's parameters with its sealed secret values put back (for the worker and re-runs):
 * from the envelope in the record, or, for executions sealed before envelopes, from the secret the
 * record names.
 * @throws EnvelopeInvalid when the envelope was altered, sealed for another execution, or under a key the stage no longer holds; SecretUnavailable
 *   when the key or the older secret cannot be read; SecretsError when the values are not a JSON
 *   object (no message quotes them).
 */
export async function unsealParameters(
  secrets: Pick<SecretStore, 'resolve'> & SealingKeySource,
  execution: Pick<Execution, 'id' | 'parameters' | 'secretParameters' | 'sealedParameters'>,
): Promise<Record<string, unknown>> {
  if (execution.sealedParameters) {
    const what = `sealed parameters of execution ${execution.id}`;
    const plaintext = await openSealed(secrets, execution.sealedParameters, what, execution.id);
    return { ...execution.parameters, ...parseSealed(`of execution ${execution.id}`, plaintext.toString('utf8')) };
  }
  if (!execution.secretParameters) return execution.parameters;
  const { sealed } = await secrets.resolve({ sealed: execution.secretParameters });
  return { ...execution.parameters, ...parseSealed(execution.secretParameters, sealed as string) };
}
