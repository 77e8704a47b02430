import { z } from 'zod';
import type { DispatchResult } from '../../engine/service/index.ts';
import { actionDatastore, type ActionKeyValues } from '../action-datastore.ts';
import { InvalidServiceRequest, type ServiceHandler, type ServiceRequest } from '../runner/index.ts';
import { DISPATCH_RECORD_EVERY_MS } from './defaults.ts';

/** What a sensor's dispatch goes through: the engine's intake path, as `POST /v1/events`. */
export type EmitTrigger = (trigger: { type: string; payload: unknown }) => Promise<DispatchResult>;

const DispatchRequest = z.object({
  trigger: z.string().min(1).max(400),
  payload: z.unknown().optional(),
  trace_tag: z.string().max(1024).nullish(),
});

/** Inputs of {@link sensorServices}. */
export interface SensorServiceDeps {
  /** The sensor's ref, for its dispatch record. */
  sensor: string;
  emit: EmitTrigger;
  keyValues: ActionKeyValues;
  /** Records the sensor's last dispatch (throttled here to one write per DISPATCH_RECORD_EVERY_MS). */
  recordDispatch(at: string): Promise<void>;
  /** Every value in clear a sensor learns from the datastore, for the masker of its logs. */
  onSecret(value: string): void;
  /** Called with each dispatch once it is through (the bench reads it). */
  onDispatched?(result: DispatchResult): void;
  now?: () => number;
}

/**
 * The service channel of a sensor process: `sensor.dispatch {trigger, payload, trace_tag}` goes
 * through the intake path (the trigger type must be registered, the payload must fit its
 * payload_schema; a refusal is answered with the error's type and message, which the wrapper logs
 * as st2 does) and answers `{trigger_instance, executions}`; the datastore calls (`kv.*`) are the
 * action service's, with local names under `<pack>.<SensorClass>:`.
 *
 * @example
 * const spec = { ...spec, services: sensorServices({ sensor: ref, emit: (t) => engine.emitTrigger(t), keyValues, recordDispatch, onSecret }) };
 */
export function sensorServices(deps: SensorServiceDeps): ServiceHandler {
  const datastore = actionDatastore(deps.keyValues, deps.onSecret);
  const now = deps.now ?? Date.now;
  let recordedAt = Number.NEGATIVE_INFINITY;
  return async (request: ServiceRequest): Promise<unknown> => {
    if (request.op !== 'sensor.dispatch') return datastore(request);
    const { id: _id, op: _op, ...args } = request;
    const parsed = DispatchRequest.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'request';
      throw new InvalidServiceRequest(field, `sensor.dispatch: ${field}: ${issue?.message ?? 'invalid'}`);
    }
    const result = await deps.emit({ type: parsed.data.trigger, payload: parsed.data.payload ?? {} });
    deps.onDispatched?.(result);
    const at = now();
    if (at - recordedAt >= DISPATCH_RECORD_EVERY_MS) {
      recordedAt = at;
      await deps.recordDispatch(new Date(at).toISOString());
    }
    return { trigger_instance: result.triggerInstance, executions: result.executions };
  };
}
