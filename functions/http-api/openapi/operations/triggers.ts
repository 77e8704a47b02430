import { EventBody, ListTriggerInstancesQuery, RuleTestBody, SIGNATURE_HEADER } from '../../../../engine/wire/index.ts';
import { MAX_JSON_BODY_BYTES } from '../../defaults.ts';
import { DISPATCH } from '../examples.ts';
import { INVALID_JSON, invalid, notFound, tooLarge, type ApiOperation } from '../operation.ts';
import { DispatchResultSchema, ReEmitResultSchema, RuleTestViewSchema, TriggerInstancePageSchema, TriggerInstanceViewSchema } from '../schemas.ts';

const INSTANCE = { id: DISPATCH.triggerInstance, trigger: 'core.st2.webhook', payload: { url: 'github', headers: { 'x-github-event': 'push' }, body: { ref: 'refs/heads/main' } }, createdAt: '2026-12-03T02:27:19.900Z' };
const instanceId = { id: { description: 'the trigger instance id', example: DISPATCH.triggerInstance } };

/** Intake (webhooks, events), stored trigger instances, and the rule tester. */
export const TRIGGER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/webhooks/{name}',
    operationId: 'postWebhook',
    tag: 'triggers',
    auth: 'apiKeyOrSignature',
    summary: 'Fire a webhook (st2’s core.st2.webhook)',
    description:
      `The trigger payload is \`{url, headers, body}\` as in st2 (credentials and signature headers removed). Authenticated by a bearer API key, by the sender’s signature when the webhook’s rules declare one (GitHub, Slack, Stripe), or by \`${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>\` with the webhook’s own secret \`webhooks/<name>\`. A JSON body is read as JSON, a form as an object, anything else as text.`,
    pathParams: { name: { description: 'the webhook name rules select with `trigger.parameters.url` (may hold `/`)', example: 'github' } },
    body: { mediaTypes: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'], example: { ref: 'refs/heads/main' } },
    responses: { 202: { description: 'stored, and the executions its rules made', schema: DispatchResultSchema, example: DISPATCH } },
    errors: [
      { status: 401, code: 'unauthorized', message: 'webhook signature refused (github): signature does not match the body' },
      notFound('no rule listens on webhook "nope"', 'unknown_webhook'),
      INVALID_JSON,
      tooLarge(MAX_JSON_BODY_BYTES),
    ],
  },
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'postEvent',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'Inject a trigger instance of any type',
    description: 'The payload is checked against the trigger type’s `payload_schema` when it has one.',
    body: { schema: EventBody, example: { trigger: 'examples.deploy_requested', payload: { service: 'web', version: '1.4.2' } } },
    responses: { 202: { description: 'stored, and the executions its rules made', schema: DispatchResultSchema, example: DISPATCH } },
    errors: [
      invalid('trigger', 'body field "trigger": Too small: expected string to have >=1 characters'),
      { status: 400, code: 'unknown_trigger_type', message: 'unknown trigger type examples.nope', field: 'trigger' },
      { status: 400, code: 'invalid_payload', message: 'payload of examples.deploy_requested: field "version": expected a string', field: 'payload.version' },
      INVALID_JSON,
      tooLarge(MAX_JSON_BODY_BYTES),
    ],
  },
  {
    method: 'get',
    path: '/v1/trigger-instances',
    operationId: 'listTriggerInstances',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'List stored trigger instances, newest first',
    query: ListTriggerInstancesQuery,
    responses: { 200: { description: 'a page; `cursor` asks for the next', schema: TriggerInstancePageSchema, example: { items: [INSTANCE], cursor: null } } },
    errors: [invalid('limit', 'query field "limit": Too big: expected number to be <=100'), invalid('cursor', 'cursor: not a cursor returned by a previous page')],
  },
  {
    method: 'get',
    path: '/v1/trigger-instances/{id}',
    operationId: 'getTriggerInstance',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'Read a trigger instance',
    pathParams: instanceId,
    responses: { 200: { description: 'the trigger instance', schema: TriggerInstanceViewSchema, example: INSTANCE } },
    errors: [notFound(`trigger instance ${DISPATCH.triggerInstance} not found`)],
  },
  {
    method: 'post',
    path: '/v1/trigger-instances/{id}/re-emit',
    operationId: 'reEmitTriggerInstance',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'Dispatch a stored payload again',
    description: 'st2’s re-emit: a new trigger instance with the same type and payload, evaluated by the rules as they are now.',
    pathParams: instanceId,
    responses: { 202: { description: 'the new instance and its executions', schema: ReEmitResultSchema, example: { ...DISPATCH, triggerInstance: '01JD5QB0', reEmitOf: DISPATCH.triggerInstance } } },
    errors: [notFound(`trigger instance ${DISPATCH.triggerInstance} not found`)],
  },
  {
    method: 'post',
    path: '/v1/rules/{ref}/test',
    operationId: 'testRule',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'Try a rule on a payload (st2-rule-tester)',
    description: 'Says whether the rule matches and the parameters it would render (secret ones masked). Nothing is stored or run.',
    pathParams: { ref: { description: 'the rule ref', example: 'examples.on_push' } },
    body: { schema: RuleTestBody, required: false, example: { payload: { url: 'github', body: { ref: 'refs/heads/main' } } } },
    responses: {
      200: {
        description: 'the verdict',
        schema: RuleTestViewSchema,
        example: { rule: 'examples.on_push', trigger: 'core.st2.webhook', matched: true, enabled: true, action: 'examples.hello', parameters: { name: 'refs/heads/main' } },
      },
    },
    errors: [notFound('unknown rule examples.nope', 'unknown_rule'), INVALID_JSON, tooLarge(MAX_JSON_BODY_BYTES)],
  },
];
