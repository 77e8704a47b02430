/** The S3 key of one stream of an execution's log (under `logs/`, which the lifecycle rule expires). */
export function logKey(executionId: string, stream: 'stdout' | 'stderr'): string {
  return `logs/${executionId}/${stream}.log`;
}

/** Where results too big for a DynamoDB item are kept. */
export function resultKey(executionId: string): string {
  return `results/${executionId}.json`;
}
