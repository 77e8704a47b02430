/**
 * A `.catch` handler for file probes where "it does not exist" is an answer, not a failure:
 * resolves to undefined on ENOENT and rethrows anything else (a permission error, a full disk),
 * so real failures are never dropped.
 * @example const info = await stat(path).catch(ignoreMissing); // undefined when absent
 */
export function ignoreMissing(err: unknown): undefined {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  throw err;
}
