import { YaqlError } from '../../../engine/expressions/yaql/index.ts';

/** The YaqlError `run` throws; fails the test when it throws nothing or something else. */
export function failure(run: () => unknown): YaqlError {
  try {
    run();
  } catch (error) {
    if (error instanceof YaqlError) return error;
    throw error;
  }
  throw new Error('expected a YaqlError');
}
