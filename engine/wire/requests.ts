import { z } from 'zod';
import { ExecutionStatusSchema } from '../executions/model.ts';

/** `POST /v1/executions` body. Unknown keys are refused so a typo (`params`) is not silently dropped. */
export const CreateExecutionBody = z.strictObject({
  action: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** What a client sends to `POST /v1/executions`. */
export type CreateExecutionRequest = z.input<typeof CreateExecutionBody>;

/** `GET /v1/executions` query. */
export const ListExecutionsQuery = z.object({
  action: z.string().min(1).optional(),
  status: ExecutionStatusSchema.optional(),
  /** Executions of one pack's actions. */
  pack: z.string().regex(/^[\w-]+$/, { error: 'expected a pack ref (letters, digits, _ and -)' }).optional(),
  /** Executions that rules on this trigger type created. */
  trigger: z.string().min(1).max(200).optional(),
  /** Created at or after / at or before this time (ISO 8601 with a zone, e.g. 2026-12-03T01:00:00Z). */
  since: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time with a zone, e.g. 2026-12-03T01:00:00Z' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time with a zone, e.g. 2026-12-03T01:00:00Z' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).optional(),
});

/** What a client asks `GET /v1/executions` for: the query's values, before they become text. */
export type ExecutionListRequest = z.output<typeof ListExecutionsQuery>;

/** `GET /v1/executions/{id}/output` query. */
export const OutputQuery = z.object({
  stream: z.enum(['stdout', 'stderr']).default('stdout'),
  /** Byte offset to read from: a follower asks for what came after what it has. */
  offset: z.coerce.number().int().min(0).default(0),
});

/** `POST /v1/events` body: any trigger type and its payload. */
export const EventBody = z.strictObject({
  trigger: z.string().min(1),
  payload: z.unknown().optional(),
});

/** What a client sends to `POST /v1/events`. */
export type EventRequest = z.input<typeof EventBody>;

/** Content types `POST /v1/packs` reads as a tar.gz bundle; none at all is taken as binary too. */
export const PACK_MEDIA_TYPES: readonly string[] = ['application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** The content type a client sends a pack bundle with. */
export const PACK_MEDIA_TYPE = 'application/gzip';

/** `PUT /v1/packs/{pack}/config` body, once read as JSON or YAML: a mapping of config keys. */
export const PackConfigBody = z.record(z.string(), z.unknown(), { error: 'expected a mapping of config keys (YAML or JSON)' });

/** Content types `PUT /v1/packs/{pack}/config` reads as JSON; every other one (and none) is read as YAML, as st2's `<pack>.yaml`. */
export const CONFIG_JSON_MEDIA_TYPES: readonly string[] = ['application/json'];

/** Content types `PUT /v1/packs/{pack}/config` accepts. */
export const CONFIG_MEDIA_TYPES: readonly string[] = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

/** The content type the CLI sends a config file with (YAML reads JSON too). */
export const CONFIG_MEDIA_TYPE = 'application/yaml';

/** What `GET|PUT /v1/packs/{pack}/config` answer: the stored config, every secret value `********`. */
export const PackConfigViewSchema = z.object({
  pack: z.string(),
  config: z.record(z.string(), z.unknown()),
  updatedAt: z.string().optional(),
});

/** A pack's config as the API answers it. */
export type PackConfigViewBody = z.infer<typeof PackConfigViewSchema>;

/** `POST /v1/executions/{id}/re-run`: optional; `tasks` re-runs a failed orquesta workflow from those tasks. */
export const RerunBody = z.strictObject({
  tasks: z.array(z.string().min(1), { error: 'expected a list of task names' }).min(1).optional(),
});
export type RerunRequest = z.input<typeof RerunBody>;
