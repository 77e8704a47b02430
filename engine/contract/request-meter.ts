/** The part of an AWS SDK v3 client the meter hooks into. */
interface MiddlewareHost {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; priority?: 'low' | 'normal' | 'high' },
    ): void;
  };
}

/**
 * Counts the requests the engine's AWS clients send, per service and operation (every attempt,
 * retries included: each is billed). Attached by the client factory when asked for one, so a test
 * or a benchmark can tell what an execution, a dispatch or a claim costs.
 * @example
 * const meter = new RequestMeter();
 * const clients = createAwsClients({ meter });
 * // ... dispatch a webhook ...
 * meter.total('dynamodb') // DynamoDB requests sent so far
 */
export class RequestMeter {
  readonly #counts = new Map<string, number>();

  /** Hooks a client: each request it sends is counted under `service` and the command's name. */
  attach(client: MiddlewareHost, service: string): void {
    client.middlewareStack.add(
      (next, context) => (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        this.record(service, operation);
        return next(args);
      },
      // In the deserialize step, inside the retry loop: every attempt is a request.
      { step: 'deserialize', name: 'attuneRequestMeter', priority: 'low' },
    );
  }

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Requests sent to a service (all services when omitted), optionally of one operation. */
  total(service?: string, operation?: string): number {
    let n = 0;
    for (const [key, count] of this.#counts) {
      const [s, o] = key.split(':');
      if ((service === undefined || s === service) && (operation === undefined || o === operation)) n += count;
    }
    return n;
  }

  /** Counts so far, keyed `service:Operation`, sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.#counts.clear();
  }
}
