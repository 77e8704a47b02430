import { AttuneError } from '../errors/index.ts';

/** Base of every configuration error raised by the contract module. */
export class ContractError extends AttuneError {
  override readonly code: string = 'configuration';
  override name = 'ContractError';
}

/**
 * Settings read from the environment are missing or malformed (parseSettings). The message names
 * each variable and what it expected, never a value; `variables` lists them. A fault of the
 * process's configuration, not of a request: 500 at an edge.
 */
export class InvalidEnvironment extends ContractError {
  override name = 'InvalidEnvironment';
  readonly variables: string[];
  constructor(message: string, variables: string[]) {
    super(message);
    this.variables = variables;
  }
}

/**
 * Raised when a client would reach an endpoint that is not on this machine while local AWS is
 * required (tests, `attune dev`). Not retryable: the configuration is wrong.
 */
export class RealAwsRefused extends ContractError {
  override name = 'RealAwsRefused';
  readonly service: string;
  readonly endpoint: string | undefined;
  constructor(service: string, endpoint: string | undefined) {
    super(
      endpoint === undefined
        ? `refusing to reach real AWS for ${service}: local AWS is required but no endpoint is set ` +
            `(set AWS_ENDPOINT_URL, or AWS_ENDPOINT_URL_${service.toUpperCase()})`
        : `refusing endpoint ${endpoint} for ${service}: local AWS is required and only loopback ` +
            `addresses (127.0.0.0/8, localhost, ::1) are allowed`,
    );
    this.service = service;
    this.endpoint = endpoint;
  }
}
