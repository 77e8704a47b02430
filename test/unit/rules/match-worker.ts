import { parentPort, workerData } from 'node:worker_threads';
import { matchCriteria } from '../../../engine/rules/index.ts';
import type { Criteria } from '../../../engine/rules/index.ts';

// Runs matchCriteria off the test's thread, so a matcher that blew up on a hostile payload can
// be stopped by the test's timeout instead of hanging the run.
const { criteria, payload } = workerData as { criteria: Criteria; payload: unknown };
parentPort!.postMessage(matchCriteria(criteria, { trigger: payload }, { log: () => undefined }).matched);
