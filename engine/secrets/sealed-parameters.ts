import type { Execution } from '../executions/index.ts';
import type { SecretStore } from './secret-store.ts';

/** Where an execution's secret parameter values are kept (a name under the engine's secret prefix). */
export function sealedParametersName(executionId: string): string {
  return `_params/${executionId}`;
}

/** An execution's parameters with its sealed secret values put back (for the worker and re-runs). */
export async function unsealParameters(secrets: SecretStore, execution: Pick<Execution, 'parameters' | 'secretParameters'>): Promise<Record<string, unknown>> {
  if (!execution.secretParameters) return execution.parameters;
  const { sealed } = await secrets.resolve({ sealed: execution.secretParameters });
  return { ...execution.parameters, ...(JSON.parse(sealed as string) as Record<string, unknown>) };
}
