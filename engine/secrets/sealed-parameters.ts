import type { Execution } from '../executions/index.ts';
// Not re-exported by the rules index: JSON helpers the secrets module shares with it.
import { describeJsonSyntaxError, describeType, isPlainObject } from '../rules/json.ts';
import { SecretsError } from './errors.ts';
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
 * An execution's parameters with its sealed secret values put back (for the worker and re-runs).
 * @throws SecretUnavailable when the sealed secret cannot be read; SecretsError when it is not a
 *   JSON object (the message never quotes it).
 */
export async function unsealParameters(
  secrets: Pick<SecretStore, 'resolve'>,
  execution: Pick<Execution, 'parameters' | 'secretParameters'>,
): Promise<Record<string, unknown>> {
  if (!execution.secretParameters) return execution.parameters;
  const { sealed } = await secrets.resolve({ sealed: execution.secretParameters });
  return { ...execution.parameters, ...parseSealed(execution.secretParameters, sealed as string) };
}
