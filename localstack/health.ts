// Is the expected service answering on a loopback port, is the port free, or is it taken by
// something else?
import { LOCALSTACK_SERVICES } from './paths.ts';

export type Probe =
  | { state: 'healthy'; detail: string }
  | { state: 'free' }
  | { state: 'other'; detail: string };

const PROBE_TIMEOUT_MS = 2_000;

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** fetch, or 'free' when nothing listens on the port. */
async function request(url: string, init: RequestInit = {}): Promise<Response | 'free' | Error> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    if (errorCode(error) === 'ECONNREFUSED') return 'free';
    return error instanceof Error ? error : new Error(String(error));
  }
}

function describe(error: Error): string {
  return `${error.name}: ${error.message}${errorCode(error) ? ` (${errorCode(error)})` : ''}`;
}

/**
 * LocalStack is healthy when GET /_localstack/health answers and every service the engine needs is
 * `running` or `available` (a LocalStack container with lazy loading reports `available`).
 */
export async function probeLocalStack(port: number): Promise<Probe> {
  const response = await request(`http://127.0.0.1:${port}/_localstack/health`);
  if (response === 'free') return { state: 'free' };
  if (response instanceof Error) return { state: 'other', detail: describe(response) };
  const text = await response.text().catch(() => '');
  let body: { services?: Record<string, string>; version?: string } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (!response.ok || !body?.services) {
    return { state: 'other', detail: `GET /_localstack/health answered HTTP ${response.status}, not LocalStack` };
  }
  const services = body.services;
  const missing = LOCALSTACK_SERVICES.filter((s) => !['running', 'available'].includes(services[s] ?? ''));
  if (missing.length > 0) {
    const states = missing.map((s) => `${s}=${services[s] ?? 'absent'}`).join(', ');
    return { state: 'other', detail: `LocalStack ${body.version ?? '?'} without the needed services (${states})` };
  }
  return { state: 'healthy', detail: `LocalStack ${body.version ?? '?'}` };
}

/**
 * moto is healthy when DynamoDB ListTables answers with TableNames and GET /moto-api/ (moto's
 * dashboard, absent from real DynamoDB and DynamoDB Local) answers 200.
 */
export async function probeMoto(port: number): Promise<Probe> {
  const response = await request(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.ListTables',
      // moto routes by the service in the credential scope; it does not check the signature.
      Authorization:
        'AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  });
  if (response === 'free') return { state: 'free' };
  if (response instanceof Error) return { state: 'other', detail: describe(response) };
  const text = await response.text().catch(() => '');
  if (!response.ok || !text.includes('"TableNames"')) {
    return { state: 'other', detail: `DynamoDB ListTables answered HTTP ${response.status}, not DynamoDB` };
  }
  const dashboard = await request(`http://127.0.0.1:${port}/moto-api/`);
  if (!(dashboard instanceof Response) || !dashboard.ok) {
    return { state: 'other', detail: 'a DynamoDB endpoint that is not moto (no /moto-api/)' };
  }
  await dashboard.body?.cancel();
  return { state: 'healthy', detail: 'moto DynamoDB' };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
