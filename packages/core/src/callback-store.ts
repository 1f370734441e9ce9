/**
 * Reads and writes of `ClientCallbackTbl` (layout in ./callback-table). Every decision that two
 * Lambda invocations could race on is a single conditional write: dynalite has no transactions and
 * none are needed.
 */
import { isConditionFailure } from "./dynamodb-conditions";
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import * as Table from "./callback-table";
import type { Detail, Status } from "./order-status";

export type StoreConfig = {
  client: DynamoDBDocumentClient;
  tableName: string;
  historyRetentionSeconds?: number;
  /** Tests move time; everything else uses the clock. */
  now?: () => Date;
};

export type HistoryEntry = Detail & { seq: number; recordedAt: string; pendingSince?: string };

type SequenceRow = { lastSeq: number; statuses: Partial<Record<Status, number>>; expiresAt: number };

/** How often `recordStatus` re-reads the sequence row after losing a race for it. An order has at most
 * seven statuses, so even a burst of duplicates settles in a few rounds; past this it throws and the
 * event is retried by the platform. */
const MAX_SEQUENCE_ATTEMPTS = 10;
const BATCH_WRITE_LIMIT = 25;


export class CallbackStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;

  constructor(config: StoreConfig) {
    this.client = config.client;
    this.tableName = config.tableName;
    this.retentionSeconds = config.historyRetentionSeconds ?? Table.DEFAULT_HISTORY_RETENTION_SECONDS;
    this.now = config.now ?? (() => new Date());
  }

  private nowSeconds() {
    return Table.epochSeconds(this.now());
  }

  /** `$connect`: the connection listens to this order until `$disconnect`, a 410, or its TTL. */
  async putConnection(input: { orderId: string; connectionId: string }) {
    const now = this.now();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [Table.PARTITION_KEY]: input.orderId,
          [Table.SORT_KEY]: Table.connectionSk(input.connectionId),
          [Table.CONNECTION_INDEX.partitionKey]: input.connectionId,
          connectedAt: now.getTime(),
          [Table.TTL_ATTRIBUTE]: Table.epochSeconds(now) + Table.CONNECTION_TTL_SECONDS,
        },
      }),
    );
  }

  /**
   * A `sync` proves the socket is open: mark the row so that a later 410 for it is believed (see
   * `deleteGoneConnection`). The condition doubles as the authorisation check — only a connection that
   * `$connect` admitted for this order with a valid token has a live row. Returns false if none.
   */
  async markSynced(input: { orderId: string; connectionId: string }) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [Table.PARTITION_KEY]: input.orderId, [Table.SORT_KEY]: Table.connectionSk(input.connectionId) },
          UpdateExpression: "SET syncedAt = :now",
          ConditionExpression: "attribute_exists(#sk) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#sk": Table.SORT_KEY, "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": this.now().getTime(), ":nowSeconds": this.nowSeconds() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The connections listening to an order now (strongly consistent; expired rows ignored). */
  async liveConnectionIds(orderId: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          KeyConditionExpression: "#pk = :orderId AND begins_with(#sk, :prefix)",
          FilterExpression: "#ttl > :nowSeconds",
          ProjectionExpression: "#cid",
          ExpressionAttributeNames: {
            "#pk": Table.PARTITION_KEY,
            "#sk": Table.SORT_KEY,
            "#ttl": Table.TTL_ATTRIBUTE,
            "#cid": Table.CONNECTION_INDEX.partitionKey,
          },
          ExpressionAttributeValues: {
            ":orderId": orderId,
            ":prefix": Table.CONNECTION_PREFIX,
            ":nowSeconds": this.nowSeconds(),
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item[Table.CONNECTION_INDEX.partitionKey]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  /**
   * A post answered 410. API Gateway also answers 410 while `$connect` is still running, so the row
   * goes only if the client has synced (the socket was surely open) or connected longer ago than
   * `graceMs`; otherwise it stays for `$disconnect` or its TTL. Returns whether it was deleted.
   */
  async deleteGoneConnection(input: { orderId: string; connectionId: string; graceMs: number }) {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [Table.PARTITION_KEY]: input.orderId, [Table.SORT_KEY]: Table.connectionSk(input.connectionId) },
          ConditionExpression: "attribute_exists(syncedAt) OR connectedAt < :cutoff",
          ExpressionAttributeValues: { ":cutoff": this.now().getTime() - input.graceMs },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** `$disconnect`: every row of the connection (found through the GSI), batched; idempotent. */
  async deleteConnection(connectionId: string) {
    const keys: Record<string, string>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: Table.CONNECTION_INDEX.name,
          KeyConditionExpression: "#cid = :cid",
          ExpressionAttributeNames: { "#cid": Table.CONNECTION_INDEX.partitionKey },
          ExpressionAttributeValues: { ":cid": connectionId },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        keys.push({ [Table.PARTITION_KEY]: item[Table.PARTITION_KEY], [Table.SORT_KEY]: item[Table.SORT_KEY] });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    for (let i = 0; i < keys.length; i += BATCH_WRITE_LIMIT) {
      await this.batchDelete(keys.slice(i, i + BATCH_WRITE_LIMIT));
    }
    return keys.length;
  }

  private async batchDelete(keys: Record<string, string>[]) {
    let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt >= 8) throw new Error(`${requests.length} deletes still unprocessed after ${attempt} attempts`);
      const result = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }

  /**
   * Records a status in the order's history, exactly once per (order, status), and returns its entry.
   * The seq is assigned by one conditional write on the sequence row (`lastSeq = :prev`): of two
   * racing invocations one wins, the other re-reads and either finds its status already numbered
   * (a duplicate) or takes the next number. Seqs therefore have no gaps and no repeats.
   * A crash between the sequence write and the history write is healed by the retry: it finds the
   * status numbered and writes the missing history row.
   */
  async recordStatus(detail: Detail): Promise<{ entry: HistoryEntry; isNew: boolean }> {
    for (let attempt = 0; attempt < MAX_SEQUENCE_ATTEMPTS; attempt++) {
      const sequence = await this.getSequence(detail.orderId);
      const known = sequence?.statuses[detail.status];
      if (sequence && known !== undefined) {
        const entry = (await this.getHistory(detail.orderId, known)) ??
          (await this.putHistory(detail, known, sequence.expiresAt));
        return { entry, isNew: false };
      }
      const claimed = sequence
        ? await this.claimNextSeq(detail, sequence)
        : await this.createSequence(detail);
      if (claimed === undefined) {
        // Lost the race for the next seq: back off a little (with jitter, so racers spread) and read again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
        continue;
      }
      return { entry: await this.putHistory(detail, claimed.seq, claimed.expiresAt), isNew: true };
    }
    throw new Error(`Too much contention recording ${detail.status} for order ${detail.orderId}`);
  }

  private async getSequence(orderId: string): Promise<SequenceRow | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [Table.PARTITION_KEY]: orderId, [Table.SORT_KEY]: Table.SEQUENCE_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item || Number(Item[Table.TTL_ATTRIBUTE]) <= this.nowSeconds()) return undefined;
    return Item as unknown as SequenceRow;
  }

  /** First status of an order. The whole history expires together, `retention` after it began. */
  private async createSequence(detail: Detail) {
    const expiresAt = this.nowSeconds() + this.retentionSeconds;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [Table.PARTITION_KEY]: detail.orderId,
            [Table.SORT_KEY]: Table.SEQUENCE_SK,
            lastSeq: 1,
            statuses: { [detail.status]: 1 },
            [Table.TTL_ATTRIBUTE]: expiresAt,
          },
          // Absent, or expired but not yet swept by DynamoDB's TTL process.
          ConditionExpression: "attribute_not_exists(#sk) OR #ttl <= :nowSeconds",
          ExpressionAttributeNames: { "#sk": Table.SORT_KEY, "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
        }),
      );
      return { seq: 1, expiresAt };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private async claimNextSeq(detail: Detail, sequence: SequenceRow) {
    const seq = sequence.lastSeq + 1;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [Table.PARTITION_KEY]: detail.orderId, [Table.SORT_KEY]: Table.SEQUENCE_SK },
          UpdateExpression: "SET lastSeq = :seq, statuses.#status = :seq",
          // Nobody numbered anything since we read the row, so our status is still unnumbered.
          ConditionExpression: "lastSeq = :prev",
          ExpressionAttributeNames: { "#status": detail.status },
          ExpressionAttributeValues: { ":seq": seq, ":prev": sequence.lastSeq },
        }),
      );
      return { seq, expiresAt: sequence.expiresAt };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private historyKey(orderId: string, seq: number) {
    return { [Table.PARTITION_KEY]: orderId, [Table.SORT_KEY]: Table.historySk(seq) };
  }

  private async getHistory(orderId: string, seq: number): Promise<HistoryEntry | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.historyKey(orderId, seq), ConsistentRead: true }),
    );
    if (!Item || Number(Item[Table.TTL_ATTRIBUTE]) <= this.nowSeconds()) return undefined;
    return toHistoryEntry(Item);
  }

  /** Writes the history row of a numbered status, pending until a client has it. First writer wins. */
  private async putHistory(detail: Detail, seq: number, expiresAt: number): Promise<HistoryEntry> {
    const now = this.now().toISOString();
    const entry: HistoryEntry = { ...detail, seq, recordedAt: now, pendingSince: now };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...entry, ...this.historyKey(detail.orderId, seq), [Table.TTL_ATTRIBUTE]: expiresAt },
          ConditionExpression: "attribute_not_exists(#sk) OR #ttl <= :nowSeconds",
          ExpressionAttributeNames: { "#sk": Table.SORT_KEY, "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
        }),
      );
      return entry;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const written = await this.getHistory(detail.orderId, seq);
      if (!written) throw new Error(`History row ${seq} of order ${detail.orderId} vanished`);
      return written;
    }
  }

  /** The order's whole history (at most one row per status), in occurrence order. */
  async history(orderId: string): Promise<HistoryEntry[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        ConsistentRead: true,
        KeyConditionExpression: "#pk = :orderId AND begins_with(#sk, :prefix)",
        FilterExpression: "#ttl > :nowSeconds",
        ExpressionAttributeNames: { "#pk": Table.PARTITION_KEY, "#sk": Table.SORT_KEY, "#ttl": Table.TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ":orderId": orderId, ":prefix": Table.HISTORY_PREFIX, ":nowSeconds": this.nowSeconds() },
      }),
    );
    return Items.map(toHistoryEntry).sort(byOccurrence);
  }

  /** A client has the status: it is no longer pending. Idempotent. */
  async clearPending(orderId: string, seq: number) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.historyKey(orderId, seq),
          UpdateExpression: "REMOVE pendingSince",
          ConditionExpression: "attribute_exists(pendingSince)",
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** For operators: statuses that no client has received yet (a scan; run it off the hot path). */
  async listPending(): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "attribute_exists(pendingSince) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
          ExclusiveStartKey: startKey,
        }),
      );
      entries.push(...(page.Items ?? []).map(toHistoryEntry));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }
}

function toHistoryEntry(item: Record<string, unknown>): HistoryEntry {
  const entry: HistoryEntry = {
    orderId: String(item.orderId),
    status: item.status as Status,
    occurredAt: String(item.occurredAt),
    seq: Number(item.seq),
    recordedAt: String(item.recordedAt),
  };
  if (typeof item.reason === "string") entry.reason = item.reason;
  if (typeof item.amountPaid === "number") entry.amountPaid = item.amountPaid;
  if (typeof item.pendingSince === "string") entry.pendingSince = item.pendingSince;
  return entry;
}

/** Occurrence order; seq breaks ties so that the order is total and the same for every reader. */
export const byOccurrence = (a: HistoryEntry, b: HistoryEntry) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.seq - b.seq;
