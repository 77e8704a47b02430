import type { ExecutionView } from '../../../engine/wire/index.ts';

// Example values the document shows, one place so the operations agree with each other.

/** An execution id as the API mints them. */
export const EXECUTION_ID = '01JD5Q3W6Y8K2M4N6P8R0T2V4X';

/** A finished execution of `core.local`. */
export const EXECUTION: ExecutionView = {
  id: EXECUTION_ID,
  action: 'core.local',
  status: 'succeeded',
  parameters: { cmd: 'date', password: '********' },
  result: { stdout: 'Thu Dec  3 02:27:21 UTC 2026', stderr: '', return_code: 0, succeeded: true, failed: false },
  error: null,
  exitCode: 0,
  createdAt: '2026-12-03T02:27:20.100Z',
  enqueuedAt: '2026-12-03T02:27:20.180Z',
  startedAt: '2026-12-03T02:27:20.400Z',
  endedAt: '2026-12-03T02:27:21.020Z',
  log: { stdout: { bytes: 29, truncated: false }, stderr: { bytes: 0, truncated: false } },
};

/** A pack as registration answers it. */
export const PACK = {
  ref: 'examples',
  name: 'examples',
  version: '1.0.0',
  description: 'Example actions and rules',
  digest: 'sha256:4f1c0d2a',
  actions: ['examples.hello'],
  rules: ['examples.on_push'],
  policies: [],
  registeredAt: '2026-12-03T02:20:00.000Z',
  environment: { state: 'ready', key: 'python3.11-4f1c0d2a', at: '2026-12-03T02:20:09.000Z' },
};

/** What an intake answers. */
export const DISPATCH = { triggerInstance: '01JD5Q4A0B1C2D3E4F5G6H7J8K', executions: [EXECUTION_ID] };
