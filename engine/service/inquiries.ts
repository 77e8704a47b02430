import type { Execution } from '../executions/index.ts';
import type { ExecutionLifecycle } from '../lifecycle/index.ts';
import { checkAgainstItem, type ConfigItem } from '../packs/index.ts';
import type { Stores } from '../stores/index.ts';
import type { InquiryView } from '../wire/index.ts';
import { EngineError } from './errors.ts';

/** No inquiry has this id (HTTP 404): no such execution, or one that is not an inquiry. */
export class InquiryNotFound extends EngineError {
  override name = 'InquiryNotFound';
  override readonly code = 'inquiry_not_found';
  override readonly status = 404;
  constructor(id: string) {
    super(`no inquiry "${id}"`);
  }
}

/** The inquiry was answered, timed out or was canceled (HTTP 409). */
export class InquiryClosed extends EngineError {
  override name = 'InquiryClosed';
  override readonly code = 'inquiry_closed';
  override readonly status = 409;
  constructor(id: string, status: string) {
    super(`inquiry "${id}" is ${status}: it takes no response`);
  }
}

/** A response its schema refuses (HTTP 400), naming every field at fault. */
export class InquiryResponseInvalid extends EngineError {
  override name = 'InquiryResponseInvalid';
  override readonly code = 'inquiry_response_invalid';
  override readonly status = 400;
  override readonly field: string;
  readonly issues: { field: string; message: string }[];
  constructor(issues: { field: string; message: string }[]) {
    super(`the response does not match the inquiry's schema: ${issues.map((i) => `response${i.field ? `.${i.field}` : ''}: ${i.message}`).join('; ')}`);
    this.issues = issues;
    this.field = issues[0]?.field ? `response.${issues[0].field}` : 'response';
  }
}

/** The st2 inquiry fields of an inquirer execution's parameters. */
function asked(execution: Execution) {
  const p = execution.parameters;
  return {
    schema: p.schema ?? {},
    route: typeof p.route === 'string' ? p.route : '',
    ttl: typeof p.ttl === 'number' ? p.ttl : 1440,
    roles: Array.isArray(p.roles) ? p.roles : [],
    users: Array.isArray(p.users) ? p.users : [],
  };
}

/** An inquirer execution as the API shows it. */
export function inquiryView(execution: Execution): InquiryView {
  const view: InquiryView = { id: execution.id, status: execution.status, ...asked(execution), expiresAt: execution.inquiry?.expiresAt ?? null, createdAt: execution.createdAt };
  if (execution.parent) view.parent = execution.parent;
  if (execution.task) view.task = execution.task;
  const result = execution.result as { response?: unknown } | undefined;
  if (execution.status === 'succeeded' && result?.response !== undefined) view.response = result.response;
  return view;
}

/** The inquiries waiting for a response, oldest first. */
export async function listInquiries(stores: Pick<Stores, 'executions'>): Promise<InquiryView[]> {
  const pending = await stores.executions.keysByStatus('pending');
  const found = await Promise.all(pending.map((k) => stores.executions.find(k.id)));
  return found
    .filter((e): e is Execution => e?.inquiry !== undefined)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map(inquiryView);
}

export async function getInquiry(stores: Pick<Stores, 'executions'>, id: string): Promise<Execution> {
  const execution = await stores.executions.find(id);
  if (!execution?.inquiry) throw new InquiryNotFound(id);
  return execution;
}

/**
 * Answers an inquiry: the response is checked against its schema (st2's form: `type`, `properties`
 * with `required: true`, `enum`, `additionalProperties`), then the inquiry succeeds with st2's
 * result (`schema`, `roles`, `users`, `route`, `ttl`, `response`) and a workflow waiting on it moves on.
 */
export async function respondInquiry(stores: Pick<Stores, 'executions'>, lifecycle: Pick<ExecutionLifecycle, 'respond'>, id: string, response: Record<string, unknown>): Promise<InquiryView> {
  const execution = await getInquiry(stores, id);
  if (execution.status !== 'pending') throw new InquiryClosed(id, execution.status);
  const fields = asked(execution);
  const schema = (typeof fields.schema === 'object' && fields.schema !== null ? fields.schema : {}) as ConfigItem;
  const { value, issues } = checkAgainstItem({ type: 'object', ...schema }, response);
  if (issues.length > 0) throw new InquiryResponseInvalid(issues);
  return inquiryView(await lifecycle.respond(id, { ...fields, response: value }));
}
