/** One page of a paged read: its items and the key to continue from, if any. */
export interface Page<T, K> {
  items: readonly T[];
  next: K | undefined;
}

/**
 * Every item of a paged read (DynamoDB Query/Scan, S3 ListObjectsV2): calls `page` with the
 * continuation key of the previous page until there is none. The one paging loop of the engine.
 * @example
 * const items = await collectPages((start) => ddb.send(new QueryCommand({ ..., ExclusiveStartKey: start }))
 *   .then((out) => ({ items: out.Items ?? [], next: out.LastEvaluatedKey })));
 */
export async function collectPages<T, K>(page: (start: K | undefined) => Promise<Page<T, K>>): Promise<T[]> {
  const out: T[] = [];
  let start: K | undefined;
  do {
    const got = await page(start);
    out.push(...got.items);
    start = got.next;
  } while (start !== undefined);
  return out;
}
