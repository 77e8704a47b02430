import type { ApiOperation } from '../operation.ts';
import { DATASTORE_OPERATIONS } from './datastore.ts';
import { EXECUTION_OPERATIONS } from './executions.ts';
import { INQUIRY_OPERATIONS } from './inquiries.ts';
import { META_OPERATIONS } from './meta.ts';
import { REGISTRY_OPERATIONS } from './registry.ts';
import { SENSOR_OPERATIONS } from './sensors.ts';
import { STATS_OPERATIONS } from './stats.ts';
import { TRIGGER_OPERATIONS } from './triggers.ts';

/**
 * Every operation of the HTTP API, in the order the reference shows them. A new route gets its
 * entry in the file of its area here (or a new file added to this list), next to the zod schemas
 * its handler validates with.
 */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...META_OPERATIONS,
  ...EXECUTION_OPERATIONS,
  ...STATS_OPERATIONS,
  ...REGISTRY_OPERATIONS,
  ...TRIGGER_OPERATIONS,
  ...SENSOR_OPERATIONS,
  ...INQUIRY_OPERATIONS,
  ...DATASTORE_OPERATIONS,
];

/** The tags, in order, with what each groups. */
export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'meta', description: 'Health, this document and its rendered reference. No API key.' },
  { name: 'executions', description: 'Runs of actions and workflows: request, follow, cancel, re-run.' },
  { name: 'registry', description: 'Packs and what they hold: actions, rules, trigger types, pack configs, queues.' },
  { name: 'triggers', description: 'Intake (webhooks, events), stored trigger instances, the rule tester.' },
  { name: 'inquiries', description: 'Workflows waiting for an answer (`core.ask`).' },
  { name: 'datastore', description: 'st2’s key-value datastore and the write-only secrets.' },
];

/**
 * Routes the app serves that are not API operations and so have no entry, as `METHOD /hono/path`
 * with the reason: static files such as a web console's assets (`GET /ui/*`). Everything else the
 * app registers must have an entry above.
 */
export const NOT_IN_DOCUMENT: Readonly<Record<string, string>> = {
  'GET /ui': 'redirects to the web console (`/ui/`)',
  'GET /ui/{file}': 'the web console’s static files (no API key: the page asks for one)',
};
