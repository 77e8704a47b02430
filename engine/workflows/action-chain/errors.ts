import { AttuneError } from '../../errors/index.ts';

/** One problem in an action-chain definition, at `chain[2].on-success` style paths. */
export interface ChainProblem {
  path: string;
  message: string;
  /** The line in the YAML text, when the problem is one of YAML itself. */
  line?: number;
}

/** An action-chain definition st2 would refuse; `problems` lists every one found, not only the first. */
export class ActionChainSpecError extends AttuneError {
  override name = 'ActionChainSpecError';
  readonly problems: readonly ChainProblem[];

  constructor(problems: readonly ChainProblem[], options: { cause?: unknown } = {}) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const where = first === undefined ? '' : first.path === '' ? '' : `${first.path}: `;
    super(`invalid action chain: ${first === undefined ? 'no problem given' : `${where}${first.message}`}${more}`, {
      code: 'invalid_action_chain',
      status: 400,
      field: first?.path === '' ? undefined : first?.path,
      cause: options.cause,
    });
    this.problems = problems;
  }

  override get details(): Record<string, unknown> {
    return { problems: this.problems.map((p) => ({ ...p })) };
  }
}
