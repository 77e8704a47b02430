import { CONFIG_MEDIA_TYPES, PACK_MEDIA_TYPES, PackConfigBody, PackConfigViewSchema } from '../../../../engine/wire/index.ts';
import { MAX_JSON_BODY_BYTES, MAX_PACK_BODY_BYTES } from '../../defaults.ts';
import { PACK } from '../examples.ts';
import { INVALID_JSON, notFound, tooLarge, type ApiOperation } from '../operation.ts';
import { ActionListSchema, PackListSchema, PackSummarySchema, QueueStatsSchema, QueueListSchema, RuleListSchema, TriggerTypeListSchema } from '../schemas.ts';

const pack = { pack: { description: 'the pack ref', example: 'examples' } };
const unsupported = (types: readonly string[]) => ({ status: 415 as const, code: 'unsupported_media_type', message: `content type "text/html" is not accepted: expected ${types.join(' or ')}` });

/** The registry: packs (list, upload, config), actions, rules, trigger types, an action's queue. */
export const REGISTRY_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/packs',
    operationId: 'listPacks',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'List registered packs',
    responses: { 200: { description: 'the packs, with their environment’s state', schema: PackListSchema, example: { items: [PACK] } } },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/packs',
    operationId: 'registerPack',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'Register a pack',
    description:
      'The body is a tar.gz of the pack directory (StackStorm’s format). It holds regular files and directories only, bounded in size and entries; the pack replaces an earlier version of itself.',
    body: { mediaTypes: PACK_MEDIA_TYPES, binary: true, example: '(tar.gz bytes)' },
    responses: { 201: { description: 'the registered pack', schema: PackSummarySchema, example: PACK } },
    errors: [
      { status: 400, code: 'invalid_bundle', message: 'request body is not a gzip file (12 bytes): expected a tar.gz of the pack directory' },
      { status: 400, code: 'invalid_pack', message: 'examples/actions/hello.yaml: field "runner_type": expected one of local-shell-cmd, python-script, …' },
      { status: 409, code: 'registration_conflict', message: 'pack examples is being registered by another request' },
      tooLarge(MAX_PACK_BODY_BYTES),
      unsupported(PACK_MEDIA_TYPES),
    ],
  },
  {
    method: 'get',
    path: '/v1/packs/{pack}/config',
    operationId: 'getPackConfig',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'Read a pack’s config',
    description: 'The operator’s config of the pack (st2’s `<pack>.yaml`), secret values `********`.',
    pathParams: pack,
    responses: { 200: { description: 'the stored config', schema: PackConfigViewSchema, example: { pack: 'examples', config: { region: 'eu-west-1', token: '********' }, updatedAt: '2026-12-03T02:21:00.000Z' } } },
    errors: [notFound('unknown pack nope', 'unknown_pack')],
  },
  {
    method: 'put',
    path: '/v1/packs/{pack}/config',
    operationId: 'putPackConfig',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'Store a pack’s config',
    description: 'A YAML or JSON mapping, validated against the pack’s `config.schema.yaml`; secret values go to Secrets Manager and are answered masked.',
    pathParams: pack,
    body: { schema: PackConfigBody, mediaTypes: CONFIG_MEDIA_TYPES, example: { region: 'eu-west-1', token: 's3cr3t-token' } },
    responses: { 200: { description: 'the config as stored, secrets masked', schema: PackConfigViewSchema, example: { pack: 'examples', config: { region: 'eu-west-1', token: '********' }, updatedAt: '2026-12-03T02:21:00.000Z' } } },
    errors: [
      { status: 400, code: 'invalid_config', message: 'config of pack examples: field "region": expected a string', field: 'region' },
      { status: 400, code: 'invalid_yaml', message: 'request body is not valid YAML at line 2: bad indentation of a mapping entry' },
      INVALID_JSON,
      notFound('unknown pack nope', 'unknown_pack'),
      tooLarge(MAX_JSON_BODY_BYTES),
      unsupported(CONFIG_MEDIA_TYPES),
    ],
  },
  {
    method: 'get',
    path: '/v1/actions',
    operationId: 'listActions',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'List registered actions',
    responses: {
      200: {
        description: 'the actions with their parameter schemas',
        schema: ActionListSchema,
        example: { items: [{ ref: 'examples.hello', pack: 'examples', runnerType: 'python-script', description: 'Greets', enabled: true, parameters: { name: { type: 'string', required: true } } }] },
      },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/rules',
    operationId: 'listRules',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'List registered rules',
    responses: {
      200: {
        description: 'the rules',
        schema: RuleListSchema,
        example: { items: [{ ref: 'examples.on_push', pack: 'examples', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'github' } }, action: { ref: 'examples.hello' } }] },
      },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/trigger-types',
    operationId: 'listTriggerTypes',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'List trigger types',
    description: 'The built-in ones and those packs declare (`triggers/*.yaml`, with their payload schema).',
    responses: {
      200: {
        description: 'the trigger types',
        schema: TriggerTypeListSchema,
        example: { items: [{ ref: 'core.st2.webhook', pack: 'core', name: 'st2.webhook', description: 'Trigger type for registering webhooks.', payloadSchema: {}, parametersSchema: {}, builtin: true }] },
      },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/actions/{ref}/queue',
    operationId: 'getActionQueue',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'An action’s queue per policy key',
    description: 'Per policy key: the concurrency limit (null without a policy), executions running, and executions waiting for a slot.',
    pathParams: { ref: { description: 'the action ref', example: 'examples.hello' } },
    responses: { 200: { description: 'the queue', schema: QueueStatsSchema, example: { action: 'examples.hello', keys: [{ key: 'examples.hello', limit: 2, running: 2, waiting: 5 }] } } },
    errors: [notFound('unknown action examples.nope', 'unknown_action')],
  },
  {
    method: 'get',
    path: '/v1/queues',
    operationId: 'listQueues',
    tag: 'registry',
    auth: 'apiKey',
    summary: 'Every queue with work',
    description: 'Per action and policy key with an execution running or waiting: the limit, running, waiting, and when the oldest waiting execution was requested.',
    responses: { 200: { description: 'the queues', schema: QueueListSchema, example: { items: [{ action: 'examples.hello', key: 'examples.hello', limit: 1, running: 1, waiting: 2, oldestWaitingAt: '2026-01-01T00:00:00.000Z' }] } } },
    errors: [],
  },
];
