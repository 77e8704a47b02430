import { CAPACITY_OPERATIONS, capacityUnits } from './dynamodb-units.ts';
import { currentRequestScope, type RequestPart, type RequestScope } from './request-scope.ts';

type Handler = (args: { input?: Record<string, unknown> }) => Promise<{ output?: Record<string, unknown> }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** The part of an AWS SDK v3 client the meter hooks into. */
interface MiddlewareHost {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'initialize' | 'deserialize'; name: string; priority?: 'low' | 'normal' | 'high' }): void;
  };
}

/** What a set of requests cost: how many, and for DynamoDB the read and write request units. */
export interface RequestTally {
  requests: number;
  readUnits: number;
  writeUnits: number;
}

/** One line of a meter's report: a service's operation, the part that sent it and its execution. */
export interface MeteredRequests extends RequestTally {
  service: string;
  operation: string;
  part?: RequestPart;
  execution?: string;
}

/**
 * Operation name of an SQS receive that brought nothing (an idle long poll, or one cut short):
 * counted apart, since it is the price of waiting, not of any execution.
 */
export const EMPTY_RECEIVE = 'ReceiveMessageEmpty';

function emptyReceive(service: string, operation: string, output: Record<string, unknown> | undefined): boolean {
  return service === 'sqs' && operation === 'ReceiveMessage' && !((output?.Messages as unknown[] | undefined)?.length);
}

const emptyTally = (): RequestTally => ({ requests: 0, readUnits: 0, writeUnits: 0 });

function add(into: RequestTally, from: RequestTally): void {
  into.requests += from.requests;
  into.readUnits += from.readUnits;
  into.writeUnits += from.writeUnits;
}

/**
 * Counts the requests the engine's AWS clients send, per service and operation (every attempt,
 * retries included: each is billed), with DynamoDB's read and write request units, and attributes
 * each to the part of the engine and the execution in scope when it was sent (`inRequestScope`).
 * Attached by the client factory when asked for one, so a test or a benchmark can tell what an
 * execution, a dispatch or a claim costs.
 * @example
 * const meter = new RequestMeter();
 * const clients = createAwsClients({ meter });
 * // ... run an execution ...
 * meter.total('dynamodb') // DynamoDB requests sent so far
 * meter.forExecution(id) // what that execution cost, by `service:Operation`
 */
export class RequestMeter {
  /** Tallies per scope (null: sent outside any scope), each keyed `service:Operation`. */
  #byScope = new Map<RequestScope | null, Map<string, RequestTally>>();

  /** Hooks a client: each request it sends is counted under `service` and the command's name. */
  attach(client: MiddlewareHost, service: string): void {
    if (service === 'dynamodb') {
      // Asking for the consumed capacity is free; emulators that ignore it fall back to item sizes.
      client.middlewareStack.add(
        (next, context) => (args) => {
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          return next(CAPACITY_OPERATIONS.has(operation) ? { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } } : args);
        },
        { step: 'initialize', name: 'attuneConsumedCapacity', priority: 'high' },
      );
    }
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const scope = currentRequestScope();
        let output: Record<string, unknown> | undefined;
        try {
          const result = await next(args);
          output = result.output;
          return result;
        } finally {
          const units = service === 'dynamodb' ? capacityUnits(operation, args.input ?? {}, output) : { read: 0, write: 0 };
          this.record(service, emptyReceive(service, operation, output) ? EMPTY_RECEIVE : operation, { requests: 1, readUnits: units.read, writeUnits: units.write }, scope);
        }
      },
      // In the deserialize step, inside the retry loop (every attempt is a request), and ahead of
      // the deserializer, so the parsed response (consumed capacity, messages) is at hand.
      { step: 'deserialize', name: 'attuneRequestMeter', priority: 'high' },
    );
  }

  /** Adds requests under `service:operation` (one plain request when no tally is given). */
  record(service: string, operation: string, tally: RequestTally = { requests: 1, readUnits: 0, writeUnits: 0 }, scope: RequestScope | undefined = currentRequestScope()): void {
    const key = `${service}:${operation}`;
    let tallies = this.#byScope.get(scope ?? null);
    if (!tallies) this.#byScope.set(scope ?? null, (tallies = new Map()));
    const into = tallies.get(key) ?? emptyTally();
    add(into, tally);
    tallies.set(key, into);
  }

  /** Every tally, one line per scope and `service:Operation`; the execution as the scope knows it now. */
  lines(): MeteredRequests[] {
    const out: MeteredRequests[] = [];
    for (const [scope, tallies] of this.#byScope) {
      for (const [key, tally] of tallies) {
        const [service = '', operation = ''] = key.split(':');
        out.push({ service, operation, ...(scope ? { part: scope.part } : {}), ...(scope?.execution ? { execution: scope.execution } : {}), ...tally });
      }
    }
    return out;
  }

  /** Tallies keyed `service:Operation`, sorted, of the lines `keep` selects (all when omitted). */
  tallies(keep: (line: MeteredRequests) => boolean = () => true): Record<string, RequestTally> {
    const sums = new Map<string, RequestTally>();
    for (const line of this.lines().filter(keep)) {
      const key = `${line.service}:${line.operation}`;
      const into = sums.get(key) ?? emptyTally();
      add(into, line);
      sums.set(key, into);
    }
    return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** What one execution cost, keyed `service:Operation`: the requests sent in scopes attributed to it. */
  forExecution(executionId: string): Record<string, RequestTally> {
    return this.tallies((l) => l.execution === executionId);
  }

  /** Requests sent to a service (all services when omitted), optionally of one operation. */
  total(service?: string, operation?: string): number {
    return this.lines()
      .filter((l) => (service === undefined || l.service === service) && (operation === undefined || l.operation === operation))
      .reduce((n, l) => n + l.requests, 0);
  }

  /** Request counts so far, keyed `service:Operation`, sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.tallies()).map(([key, t]) => [key, t.requests]));
  }

  reset(): void {
    this.#byScope = new Map();
  }
}
