import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REGISTRY_ITEM } from '../contract/index.ts';

/** What is stored of a pack's operator config: secret values masked, the secret that holds them named. */
export interface PackConfigRecord {
  pack: string;
  /** The config as the operator sent it, every secret value read `********`. */
  values: Record<string, unknown>;
  /** The engine's secret (a name under the prefix) holding the secret values, when there are any. */
  secretName?: string;
  /** sha256 of that secret's text: a reader holding an older cached copy knows to read it again. */
  secretDigest?: string;
  updatedAt: string;
}

const SK = 'meta';

/**
 * Operator pack configs in the registry table, one item per pack (`pk` = REGISTRY_ITEM.packConfig).
 * The items carry no `kind`, so listings of packs, actions and rules never see them.
 */
export class PackConfigStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(ddb: DynamoDBDocumentClient, table: string) {
    this.#ddb = ddb;
    this.#table = table;
  }

  async get(pack: string): Promise<PackConfigRecord | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: REGISTRY_ITEM.packConfig(pack), sk: SK } }));
    return got.Item?.record as PackConfigRecord | undefined;
  }

  /** Replaces the pack's config record. */
  async put(record: PackConfigRecord): Promise<void> {
    await this.#ddb.send(new PutCommand({ TableName: this.#table, Item: { pk: REGISTRY_ITEM.packConfig(record.pack), sk: SK, record } }));
  }
}
