/**
 * DynamoDB on-demand billing units of one request: read request units (RRU: 4 KiB strongly
 * consistent, half for eventually consistent) and write request units (WRU: 1 KiB), doubled inside
 * transactions. Computed from the sizes of the items the request and its response carry, and
 * raised to the response's ConsumedCapacity when that reports more (AWS reports what it bills;
 * emulators leave it out or report a flat half unit, so the sizes are the floor).
 */
export interface CapacityUnits {
  read: number;
  write: number;
}

const READ_UNIT_BYTES = 4096;
const WRITE_UNIT_BYTES = 1024;

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Operations that accept `ReturnConsumedCapacity` (asking costs nothing). */
export const CAPACITY_OPERATIONS: ReadonlySet<string> = new Set([...READS, ...WRITES]);

type Attributes = Record<string, unknown>;

/** Size of one attribute value as DynamoDB counts it; accepts marshalled ({S: ..}) or plain values. */
function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).replace(/^-|\./g, '').length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce<number>((n, v) => n + 1 + valueSize(v), 0);
  if (value instanceof Set) return [...value].reduce<number>((n, v) => n + valueSize(v), 0);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Attributes);
    const only = entries.length === 1 ? entries[0] : undefined;
    // A marshalled attribute value: {S: "x"}, {N: "1"}, {M: {...}}, {L: [...]}, ...
    if (only) {
      const [type, inner] = only;
      if (type === 'S' || type === 'B' || type === 'BOOL' || type === 'NULL' || type === 'L' || type === 'SS' || type === 'BS') return valueSize(inner);
      if (type === 'N') return valueSize(Number(inner));
      if (type === 'NS') return (inner as string[]).reduce((n, v) => n + valueSize(Number(v)), 0);
      if (type === 'M') return 3 + itemSizeBytes(inner as Attributes) + Object.keys(inner as Attributes).length;
    }
    return 3 + itemSizeBytes(value as Attributes) + entries.length;
  }
  return 1;
}

/** Size of an item in bytes as DynamoDB bills it: attribute names plus values. */
export function itemSizeBytes(item: Attributes | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);
}

const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
const readUnits = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) * (consistent ? 1 : 0.5);

interface Reported {
  CapacityUnits?: number;
}

/** Units the response reported, if it reported any. */
function reported(output: Attributes | undefined): number | undefined {
  const consumed = output?.ConsumedCapacity as Reported | Reported[] | undefined;
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  const units = list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  return units > 0 ? units : undefined;
}

/** Units computed from item sizes, for a response that did not report them (or an error). */
function estimated(operation: string, input: Attributes, output: Attributes | undefined): number {
  const consistent = input.ConsistentRead === true;
  switch (operation) {
    case 'GetItem':
      return readUnits(itemSizeBytes(output?.Item as Attributes | undefined), consistent);
    case 'Query':
    case 'Scan': {
      // Billed on the bytes read, summed before rounding.
      const items = (output?.Items as Attributes[] | undefined) ?? [];
      return readUnits(items.reduce((n, i) => n + itemSizeBytes(i), 0), consistent);
    }
    case 'PutItem':
      return writeUnits(itemSizeBytes(input.Item as Attributes));
    case 'UpdateItem':
    case 'DeleteItem':
      // The item's size is known only when the response returned it.
      return writeUnits(itemSizeBytes(output?.Attributes as Attributes | undefined));
    case 'TransactWriteItems':
      return ((input.TransactItems as Attributes[] | undefined) ?? []).reduce((n, t) => {
        const put = t.Put as { Item?: Attributes } | undefined;
        return n + 2 * writeUnits(itemSizeBytes(put?.Item));
      }, 0);
    case 'TransactGetItems':
      return 2 * ((input.TransactItems as unknown[] | undefined)?.length ?? 1);
    case 'BatchWriteItem':
      return Object.values((input.RequestItems as Record<string, Attributes[]> | undefined) ?? {})
        .flat()
        .reduce((n, r) => n + writeUnits(itemSizeBytes((r.PutRequest as { Item?: Attributes } | undefined)?.Item)), 0);
    case 'BatchGetItem':
      return Object.values((output?.Responses as Record<string, Attributes[]> | undefined) ?? {})
        .flat()
        .reduce((n, i) => n + readUnits(itemSizeBytes(i), false), 0);
    default:
      return 0;
  }
}

/**
 * Billing units of one DynamoDB request. A failed conditional write is billed too, so an error
 * (no output) still counts what the request would have written.
 */
export function capacityUnits(operation: string, input: Attributes, output: Attributes | undefined): CapacityUnits {
  const units = Math.max(reported(output) ?? 0, estimated(operation, input, output));
  if (READS.has(operation)) return { read: units, write: 0 };
  if (WRITES.has(operation)) return { read: 0, write: units };
  return { read: 0, write: 0 };
}
