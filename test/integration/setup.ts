import { inject } from 'vitest';
import { REQUIRE_LOCAL_AWS_ENV, runtimeEnv } from '../../engine/contract/index.ts';

// Every client built in a test goes through the contract's factory, pinned to the local stack.
const endpoints = inject('awsEndpoints');
process.env.AWS_ENDPOINT_URL = endpoints.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
process.env.AWS_REGION ??= 'us-east-1';
process.env[REQUIRE_LOCAL_AWS_ENV] = '1';
Object.assign(process.env, runtimeEnv(inject('runtimeConfig')));
// Action accounts (worker-host/runner/isolation.ts) need interpreters every user can run; this
// host's pyenv builds live under /root, out of their reach. Suites that test the accounts turn
// them on explicitly (action-isolation.test.ts).
process.env.ATTUNE_ACTION_ISOLATION ??= 'off';
