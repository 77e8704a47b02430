/**
 * AWS list prices, us-east-1, USD, as published on the services' pricing pages in June 2025
 * (DynamoDB on-demand after the 1 November 2024 reduction). Free tiers are left out: the figures
 * are what an execution costs at volume. Every price is per one unit named in the key.
 */
export const PRICES_DATE = '2025-06';

export const PRICES = {
  /** SQS FIFO: per request (each 64 KiB of payload is a request; our messages are far smaller). */
  sqsFifoRequest: 0.5 / 1e6,
  /** DynamoDB on-demand: per write request unit (1 KiB; 2 per KiB inside a transaction). */
  dynamodbWru: 0.625 / 1e6,
  /** DynamoDB on-demand: per read request unit (4 KiB strongly consistent; half eventually). */
  dynamodbRru: 0.125 / 1e6,
  /** S3 Standard: per PUT, COPY, POST or LIST request. */
  s3Put: 0.005 / 1e3,
  /** S3 Standard: per GET (and every other) request. */
  s3Get: 0.0004 / 1e3,
  /** S3 Standard: per GB-month stored. */
  s3GbMonth: 0.023,
  /** Secrets Manager: per API call. */
  secretsManagerCall: 0.05 / 1e4,
  /** Lambda on Arm: per GB-second, and per invocation. */
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** API Gateway HTTP API: per request (first 300 million a month). */
  httpApiRequest: 1.0 / 1e6,
  /** Fargate on Linux/Arm: per vCPU-hour and per GB-hour. */
  fargateArmVcpuHour: 0.03238,
  fargateArmGbHour: 0.00356,
  /** EventBridge: per custom event put. */
  eventBridgeEvent: 1.0 / 1e6,
  /** Step Functions Standard: per state transition. */
  stepFunctionsTransition: 0.025 / 1e3,
} as const;

/** S3 operations billed at the PUT tier; every other S3 request is billed as a GET. */
export const S3_PUT_TIER = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'ListObjectsV2', 'ListObjects']);
