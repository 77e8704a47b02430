import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatPackIssue } from '../../engine/packs/errors.ts';
import type { PackIssue } from '../../engine/packs/errors.ts';
import { ApiError } from './errors.ts';
import type { ErrorBody } from './errors.ts';

/** A status and error body to answer with. */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
}

/** The generic answer to anything unexpected: internals (stack, AWS messages) never leave the process. */
export const INTERNAL_ERROR: ErrorAnswer = { status: 500, body: { code: 'internal', message: 'internal error; see the API logs' } };

const CODE_BY_STATUS: Partial<Record<number, string>> = { 400: 'invalid_request', 401: 'unauthorized', 404: 'not_found', 413: 'payload_too_large' };

/** Reads a property an engine error carries, typed as a string when it is one. */
function stringProp(err: Error, key: string): string | undefined {
  const value = (err as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function packIssues(err: Error): PackIssue[] {
  const value = (err as unknown as Record<string, unknown>)['issues'];
  return Array.isArray(value) ? (value as PackIssue[]) : [];
}

/**
 * Translates an error into the answer the contract promises, or INTERNAL_ERROR for anything not
 * known. Engine errors are matched by `name`, so the edge needs none of the engine's classes; their
 * messages are written for users (they name the action, execution or file) and are passed on.
 * @example toErrorAnswer(new ExecutionNotFound('e1')) // {status: 404, body: {code: 'not_found', …}}
 */
export function toErrorAnswer(err: unknown): { answer: ErrorAnswer; expected: boolean } {
  if (err instanceof ApiError) return { answer: { status: err.status, body: err.toBody() }, expected: true };
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { answer: { status, body: { code: CODE_BY_STATUS[status] ?? 'http_error', message: err.message || `HTTP ${status}` } }, expected: status < 500 };
  }
  if (!(err instanceof Error)) return { answer: INTERNAL_ERROR, expected: false };
  const known = (status: ContentfulStatusCode, body: ErrorBody) => ({ answer: { status, body }, expected: true });
  switch (err.name) {
    case 'UnknownAction':
      return known(404, { code: 'unknown_action', message: err.message, field: 'action' });
    case 'ActionDisabled':
      return known(400, { code: 'action_disabled', message: err.message, field: 'action' });
    case 'ParameterValidationError': {
      const parameter = stringProp(err, 'parameter') ?? '';
      return known(400, { code: 'invalid_parameters', message: err.message, field: parameter === '' ? 'parameters' : `parameters.${parameter}` });
    }
    case 'PackValidationError': {
      const issues = packIssues(err);
      const pack = stringProp(err, 'pack') ?? 'pack';
      // Not err.message: it names the server-side directory the bundle was unpacked into.
      const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
      const message = `pack ${pack} is invalid, ${count}:\n${issues.map((i) => `  ${formatPackIssue(i)}`).join('\n')}`;
      return known(400, { code: 'invalid_pack', message, issues });
    }
    case 'InvalidBundle':
      return known(400, { code: 'invalid_bundle', message: err.message });
    case 'PackTooLarge':
      // Too many resources for one registration: the pack's content, not the body size (that is 413).
      return known(400, { code: 'pack_too_large', message: err.message });
    case 'ExecutionNotFound':
      return known(404, { code: 'not_found', message: err.message });
    case 'TransitionRefused':
      return known(409, { code: 'conflict', message: err.message });
    default:
      return { answer: INTERNAL_ERROR, expected: false };
  }
}
