/**
 * Reads and writes of `ClientCallbackTbl` (layout in ./callback-table). Every decision that two
 * Lambda invocations could race on is a single conditional write on the order's item: dynalite has
 * no transactions and none are needed. Request counts are part of the contract (bench/): a status
 * costs one write here, a `sync` one write, plus one to move a pending mark.
 */
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "./dynamodb-conditions";
import * as Table from "./callback-table";
import { parseOrderItem, type HistoryEntry, type LiveConnection, type OrderCallbacks } from "./callback-item";
import type { Detail, Status } from "./order-status";

export type { HistoryEntry, OrderCallbacks } from "./callback-item";

export type StoreConfig = {
  client: DynamoDBDocumentClient;
  tableName: string;
  historyRetentionSeconds?: number;
  /** Tests move time; everything else uses the clock. */
  now?: () => Date;
};

export type Admission = { admitted: true } | { admitted: false; connections: LiveConnection[] };

/** Rounds of read → conditional write before giving up (the platform, or the client, then retries). */
const MAX_ATTEMPTS = 16;
/** Full jitter, capped: racers spread out, and one of them wins each round. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));

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

  private itemExpiry() {
    return this.nowSeconds() + this.retentionSeconds;
  }

  /**
   * Records a status, exactly once per (order, status), in ONE conditional UpdateItem that appends
   * the entry (its seq is its position, so seqs have no gaps and no repeats) and returns the whole
   * item — history, pending marks and the connections listening at that instant. A `$connect` that
   * lands after this write is followed by a `sync` that reads this status; one before it is returned
   * here. A duplicate fails the condition and is read back (first detail wins).
   */
  async recordStatus(detail: Detail): Promise<{ entry: HistoryEntry; isNew: boolean; order: OrderCallbacks }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Table.orderKey(detail.orderId),
            UpdateExpression:
              "SET history = list_append(if_not_exists(history, :none), :entry), #ttl = :expiresAt ADD recorded :statusSet",
            // Not recorded yet, in an item that has not expired (an expired one is cleared below first).
            ConditionExpression: "NOT contains(recorded, :status) AND (attribute_not_exists(#ttl) OR #ttl > :nowSeconds)",
            ExpressionAttributeNames: { "#ttl": Table.TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ":none": [],
              ":entry": [{ ...detail, recordedAt: now.toISOString() }],
              ":expiresAt": this.itemExpiry(),
              ":statusSet": new Set([detail.status]),
              ":status": detail.status,
              ":nowSeconds": Table.epochSeconds(now),
            },
            ReturnValues: "ALL_NEW",
          }),
        );
        const order = parseOrderItem(detail.orderId, Attributes, this.nowSeconds());
        return { entry: order.history.find((e) => e.status === detail.status)!, isNew: true, order };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.getOrderItem(detail.orderId);
      if (item && !this.isExpired(item)) {
        const order = parseOrderItem(detail.orderId, item, this.nowSeconds());
        const entry = order.history.find((e) => e.status === detail.status);
        if (entry) return { entry, isNew: false, order };
      } else if (item) {
        await this.deleteExpiredOrder(detail.orderId);
      }
      await backoff(attempt);
    }
    throw new Error(`Could not record ${detail.status} for order ${detail.orderId}`);
  }

  /** No connection took the status: mark it pending (for `$default` and operators). */
  async markPending(orderId: string, status: Status) {
    await this.updatePending(orderId, "ADD", [status]);
  }

  /** A client has these statuses: they are no longer pending. Idempotent. */
  async clearPending(orderId: string, statuses: readonly Status[]) {
    if (statuses.length > 0) await this.updatePending(orderId, "DELETE", statuses);
  }

  private async updatePending(orderId: string, action: "ADD" | "DELETE", statuses: readonly Status[]) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Table.orderKey(orderId),
          UpdateExpression: `${action} pending :statuses`,
          // Never create an item just to mark it.
          ConditionExpression: "attribute_exists(history)",
          ExpressionAttributeValues: { ":statuses": new Set(statuses) },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * `$connect`: subscribe the connection unless `maxConnections` sockets already listen. One write
   * adds it and counts it (`connCount`), conditioned on the count being under the cap: racing
   * connects never conflict below the cap and cannot both take the last place. Only at the cap is the
   * item read, to prune connections that expired without `$disconnect` (and to repair a count that
   * drifted), before trying again.
   */
  async addConnection(input: { orderId: string; connectionId: string; maxConnections: number }): Promise<Admission> {
    const attribute = Table.connectionAttribute(input.connectionId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      const nowSeconds = Table.epochSeconds(now);
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Table.orderKey(input.orderId),
            UpdateExpression: "SET #new = :connection, #ttl = :expiresAt ADD connCount :one",
            ConditionExpression:
              "attribute_not_exists(#new) AND (attribute_not_exists(connCount) OR connCount < :max) AND (attribute_not_exists(#ttl) OR #ttl > :nowSeconds)",
            ExpressionAttributeNames: { "#new": attribute, "#ttl": Table.TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ":connection": { connectedAt: now.getTime(), expiresAt: nowSeconds + Table.CONNECTION_TTL_SECONDS },
              ":expiresAt": this.itemExpiry(),
              ":one": 1,
              ":max": input.maxConnections,
              ":nowSeconds": nowSeconds,
            },
          }),
        );
        await this.putLookup(input.orderId, input.connectionId, nowSeconds);
        return { admitted: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.getOrderItem(input.orderId);
      if (item && this.isExpired(item)) {
        await this.deleteExpiredOrder(input.orderId);
        continue;
      }
      const order = parseOrderItem(input.orderId, item, this.nowSeconds());
      if (order.connections.some((c) => c.connectionId === input.connectionId)) {
        // A retried $connect of a connection already admitted.
        await this.putLookup(input.orderId, input.connectionId, this.nowSeconds());
        return { admitted: true };
      }
      if (order.expiredConnectionAttributes.length > 0) {
        await this.pruneConnections(input.orderId, order.expiredConnectionAttributes.slice(0, 20));
      } else if (order.connections.length < input.maxConnections && order.connCount !== order.connections.length) {
        await this.repairConnectionCount(input.orderId, order.connCount, order.connections.length);
      } else if (order.connCount >= input.maxConnections) {
        return { admitted: false, connections: order.connections };
      } else {
        await backoff(attempt); // a connection left between our write and our read
      }
    }
    throw new Error(`Too much contention connecting to order ${input.orderId}`);
  }

  private putLookup(orderId: string, connectionId: string, nowSeconds: number) {
    return this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...Table.lookupKey(connectionId), order: orderId, [Table.TTL_ATTRIBUTE]: nowSeconds + Table.CONNECTION_TTL_SECONDS },
      }),
    );
  }

  /** Removes connections that expired without `$disconnect`, uncounting exactly those still there. */
  private async pruneConnections(orderId: string, attributes: string[]) {
    const names = Object.fromEntries(attributes.map((attribute, i) => [`#x${i}`, attribute]));
    const placeholders = Object.keys(names);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Table.orderKey(orderId),
          UpdateExpression: `REMOVE ${placeholders.join(", ")} ADD connCount :minus`,
          // All still there: otherwise someone pruned some already, and the count would go wrong.
          ConditionExpression: placeholders.map((p) => `attribute_exists(${p})`).join(" AND "),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ":minus": -attributes.length },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The count disagrees with the connections held (e.g. a crash mid-way): set it to what is true. */
  private async repairConnectionCount(orderId: string, read: number, actual: number) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Table.orderKey(orderId),
          UpdateExpression: "SET connCount = :actual",
          ConditionExpression: "connCount = :read",
          ExpressionAttributeValues: { ":actual": actual, ":read": read },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The order a connection was admitted for (strongly consistent), or undefined. */
  async orderOfConnection(connectionId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: Table.lookupKey(connectionId), ConsistentRead: true }),
    );
    if (!Item || this.isExpired(Item) || typeof Item.order !== "string") return undefined;
    return Item.order;
  }

  /**
   * A `sync` from a connection: mark it synced (proof the socket is open, see `removeGoneConnection`)
   * and return the order's item, in one write whose condition is also the authorisation check — only
   * a connection `$connect` admitted for this order with a valid token is in the item.
   */
  async beginSync(input: { orderId: string; connectionId: string }): Promise<OrderCallbacks | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Table.orderKey(input.orderId),
          UpdateExpression: "SET #conn.syncedAt = :now",
          ConditionExpression: "attribute_exists(#conn) AND #conn.#ttl > :nowSeconds AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#conn": Table.connectionAttribute(input.connectionId), "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": this.now().getTime(), ":nowSeconds": this.nowSeconds() },
          ReturnValues: "ALL_NEW",
        }),
      );
      return parseOrderItem(input.orderId, Attributes, this.nowSeconds());
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * A post answered 410. API Gateway also answers 410 while `$connect` is still running, so the
   * connection goes only if it has synced (the socket was surely open) or connected longer ago than
   * `graceMs`; otherwise it stays for `$disconnect` or its TTL. Returns whether it was removed.
   */
  async removeGoneConnection(input: { orderId: string; connectionId: string; graceMs: number }) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Table.orderKey(input.orderId),
          UpdateExpression: "REMOVE #conn ADD connCount :minus",
          // Either clause holds only while the connection is there, so it is uncounted once.
          ConditionExpression: "attribute_exists(#conn.syncedAt) OR #conn.connectedAt < :cutoff",
          ExpressionAttributeNames: { "#conn": Table.connectionAttribute(input.connectionId) },
          ExpressionAttributeValues: { ":cutoff": this.now().getTime() - input.graceMs, ":minus": -1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** `$disconnect`: forget the connection in its order's item and its lookup item; idempotent. */
  async removeConnection(connectionId: string): Promise<{ orderId?: string }> {
    const orderId = await this.orderOfConnection(connectionId);
    if (orderId) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: Table.orderKey(orderId),
            UpdateExpression: "REMOVE #conn ADD connCount :minus",
            // Only while it is there: so it is uncounted once, and no missing item is created.
            ConditionExpression: "attribute_exists(#conn)",
            ExpressionAttributeNames: { "#conn": Table.connectionAttribute(connectionId) },
            ExpressionAttributeValues: { ":minus": -1 },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: Table.lookupKey(connectionId) }));
    return orderId ? { orderId } : {};
  }

  /** The order's item as it stands (empty when unknown or expired): for operators and tests. */
  async readOrder(orderId: string): Promise<OrderCallbacks> {
    const item = await this.getOrderItem(orderId);
    return parseOrderItem(orderId, item && !this.isExpired(item) ? item : undefined, this.nowSeconds());
  }

  /** The order's history in occurrence order (empty when unknown or expired). */
  async history(orderId: string): Promise<HistoryEntry[]> {
    return (await this.readOrder(orderId)).history;
  }

  /** For operators: statuses no client has received yet, oldest first (a scan; off the hot path). */
  async listPending(): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: "attribute_exists(pending) AND #ttl > :nowSeconds",
          ExpressionAttributeNames: { "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const order = parseOrderItem(String(item[Table.PARTITION_KEY]), item, this.nowSeconds());
        entries.push(...order.history.filter((entry) => order.pending.has(entry.status)));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  }

  private async getOrderItem(orderId: string) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: Table.orderKey(orderId), ConsistentRead: true }),
    );
    return Item;
  }

  private isExpired(item: Record<string, unknown>) {
    return typeof item[Table.TTL_ATTRIBUTE] === "number" && (item[Table.TTL_ATTRIBUTE] as number) <= this.nowSeconds();
  }

  /** An expired order item not yet swept by DynamoDB's TTL process is absent for writers: clear it. */
  private async deleteExpiredOrder(orderId: string) {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: Table.orderKey(orderId),
          ConditionExpression: "#ttl <= :nowSeconds",
          ExpressionAttributeNames: { "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
