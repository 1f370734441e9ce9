/**
 * Reads and writes of `ClientCallbackTbl` (layout in ./table). Every decision that two
 * Lambda invocations could race on is a single conditional write on the order's item: dynalite has
 * no transactions and none are needed. Request counts are part of the contract (bench/): a status
 * costs one write here, a `sync` one write (two in a burst); a pending mark, only where posts failed.
 *
 * Every method takes `{ signal }`: the invocation's deadline, passed to each request (and backoff),
 * so that a slow table ends the call with an abort error instead of the invocation being killed.
 */
import { createHash } from "node:crypto";
import {
  DeleteCommand,
  GetCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "../platform/condition-expression";
import { and, conditionInput } from "../platform/condition-expression";
import * as CallbackClauses from "./conditions";
import * as CallbackTable from "./table";
import { parseOrderItem, type StoredRecord, type LiveConnection, type OrderCallbacks } from "./item";
import type { Status, StatusRecord } from "../status/event";
import { admitMessage, type AdmissionInput, type MessageAdmission } from "./admission";

export type { MessageAdmission } from "./admission";

export type { StoredRecord, OrderCallbacks } from "./item";

export type StoreConfig = {
  client: DynamoDBDocumentClient;
  tableName: string;
  historyRetentionSeconds?: number;
  /** Tests move time; everything else uses the clock. */
  now?: () => Date;
};

/** Whether the store found the socket a place under the order's cap; at the cap, the sockets holding the places. */
export type AddConnectionResult = { admitted: true } | { admitted: false; connections: LiveConnection[] };

/** Options of every call: `signal` aborts its requests (the invocation's deadline). */
export type CallOptions = { signal?: AbortSignal };

/** Rounds of read → conditional write before giving up (the platform, or the client, then retries). */
const MAX_ATTEMPTS = 16;
/** Full jitter, capped: racers spread out, and one of them wins each round. */
const backoff = (attempt: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.random() * Math.min(250, 5 * 2 ** attempt),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const F = CallbackTable.ENTRY_FIELDS;

/**
 * A status as the history stores it, in the short names (./table): without the orderId,
 * which the item's key already says, and a long reason by its key, with the attribute that keeps it
 * once (the compensation statuses repeat one reason: kept once, it is paid once on every write).
 */
function storedEntry(detail: StatusRecord, recordedAt: Date) {
  const entry: Record<string, unknown> = {
    [F.status]: detail.status,
    [F.occurredAt]: detail.occurredAt,
    [F.recordedAt]: recordedAt.getTime(),
  };
  if (detail.amountPaid !== undefined) entry[F.amountPaid] = detail.amountPaid;
  if (detail.reason === undefined) return { entry };
  if (Buffer.byteLength(detail.reason, "utf8") <= CallbackTable.INLINE_REASON_MAX_BYTES)
    return { entry: { ...entry, [F.reason]: detail.reason } };
  const key = createHash("sha256").update(detail.reason).digest("base64url").slice(0, 12);
  return {
    entry: { ...entry, [F.reasonKey]: key },
    reason: { attribute: CallbackTable.reasonAttribute(key), value: detail.reason },
  };
}

export class CallbackStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;

  constructor(config: StoreConfig) {
    this.client = config.client;
    this.tableName = config.tableName;
    this.retentionSeconds = config.historyRetentionSeconds ?? CallbackTable.DEFAULT_HISTORY_RETENTION_SECONDS;
    this.now = config.now ?? (() => new Date());
  }

  private nowSeconds() {
    return CallbackTable.epochSeconds(this.now());
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
  async recordStatus(
    detail: StatusRecord,
    { signal }: CallOptions = {},
  ): Promise<{ entry: StoredRecord; isNew: boolean; order: OrderCallbacks }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      // Not the orderId: the key holds it (parseOrderItem puts it back), and every byte of the item is
      // paid on each of its writes once it passes 1 KB. `recordedAt` is for operators (`npm run
      // pending`); nothing compares it with another host's clock.
      const { entry, reason } = storedEntry(detail, now);
      try {
        const { Attributes } = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: CallbackTable.orderKey(detail.orderId),
            // The listeners at this instant are kept with the status: a status nobody heard is pending
            // until the next admitted message, without a write of its own (./table). The
            // count moves with the append, so the item itself orders statuses and messages: no clock.
            UpdateExpression:
              "SET history = list_append(if_not_exists(history, :none), :entry), #listeners = if_not_exists(connCount, :zero), #ttl = :expiresAt" +
              (reason ? ", #reason = if_not_exists(#reason, :reason)" : "") +
              " ADD lastSeq :one",
            // Not recorded yet, in an item that has not expired (an expired one is cleared below first).
            ...conditionInput(
              and(
                CallbackClauses.statusNotRecorded(detail.status),
                CallbackClauses.notExpired(CallbackTable.epochSeconds(now)),
              ),
              {
                names: { "#ttl": CallbackTable.TTL_ATTRIBUTE, ...(reason ? { "#reason": reason.attribute } : {}) },
                values: {
                  ":none": [],
                  ":entry": [entry],
                  ...(reason ? { ":reason": reason.value } : {}),
                  ":expiresAt": this.itemExpiry(),
                  ":zero": 0,
                  ":one": 1,
                },
              },
            ),
            ReturnValues: "ALL_NEW",
          }),
          { abortSignal: signal },
        );
        const order = parseOrderItem(detail.orderId, Attributes, this.nowSeconds());
        return { entry: order.history.find((e) => e.status === detail.status)!, isNew: true, order };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.getOrderItem(detail.orderId, signal);
      if (item && !this.isExpired(item)) {
        const order = parseOrderItem(detail.orderId, item, this.nowSeconds());
        const entry = order.history.find((e) => e.status === detail.status);
        if (entry) return { entry, isNew: false, order };
      } else if (item) {
        await this.deleteExpiredOrder(detail.orderId, signal);
      }
      await backoff(attempt, signal);
    }
    throw new Error(`Could not record ${detail.status} for order ${detail.orderId}`);
  }

  /**
   * Posts to every listener failed (a status's first delivery, or a `sync`'s answer): mark the
   * statuses pending (for operators) — unless a client may have received them since the item was
   * read. (A status recorded with no listener needs no mark: it is pending by derivation.)
   * `handoversAtRead` is the item's `handovers` as the caller's read or write returned it; every
   * message's first write and every delivered duplicate bump it, so the mark lands only if none
   * happened in between. Without that condition a `sync` (or a duplicate) could deliver the status
   * between the read and this write, read no mark to clear, and the mark would land after it. A
   * duplicate or a replay never marks: the status may have been delivered by the first one, which
   * left no trace.
   */
  async markPending(
    orderId: string,
    statuses: readonly Status[],
    handoversAtRead: number,
    { signal }: CallOptions = {},
  ): Promise<boolean> {
    if (statuses.length === 0) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(orderId),
          UpdateExpression: "ADD pending :statuses",
          ...conditionInput(and(CallbackClauses.hasHistory(), CallbackClauses.handoversStill(handoversAtRead)), {
            values: { ":statuses": new Set(statuses) },
          }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  /**
   * A client has these marked statuses (a `sync` read them marked and delivered them): no longer marked. Idempotent.
   */
  async clearPending(orderId: string, statuses: readonly Status[], { signal }: CallOptions = {}) {
    if (statuses.length > 0) await this.updatePending(orderId, "DELETE pending :statuses", statuses, signal);
  }

  /**
   * A duplicate (or replay) of a status reached a client: clear its mark, count the client as its
   * listener (so it is not pending by derivation either), and bump `handovers` so that a first
   * delivery still in flight cannot mark it after this (see `markPending`). Idempotent enough: a
   * second count changes nothing that is read (0 or not).
   */
  async handedOver(orderId: string, status: Status, { signal }: CallOptions = {}) {
    await this.updatePending(
      orderId,
      "DELETE pending :statuses ADD handovers :one, #listeners :one",
      [status],
      signal,
      {
        values: { ":one": 1 },
        names: { "#listeners": CallbackTable.listenersAttribute(status) },
      },
    );
  }

  private async updatePending(
    orderId: string,
    updateExpression: string,
    statuses: readonly Status[],
    signal: AbortSignal | undefined,
    extra: { values?: Record<string, unknown>; names?: Record<string, string> } = {},
  ) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(orderId),
          UpdateExpression: updateExpression,
          ...conditionInput(CallbackClauses.hasHistory(), {
            names: extra.names,
            values: { ":statuses": new Set(statuses), ...extra.values },
          }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * `$connect`: subscribe the connection unless `maxConnections` sockets already listen, in one write
   * that adds it to the order's item and counts it (`connCount`), conditioned on the count being under
   * the cap: racing connects never conflict below the cap and cannot both take the last place. Only at
   * the cap is the order's item read, to prune connections that expired without `$disconnect` (and to
   * repair a count that drifted), before trying again. Nothing else is written: the connection's order
   * travels with the connection itself (the `$connect` authorizer's context, which API Gateway hands
   * to every later route), so no item maps a connection to its order.
   */
  async addConnection(
    input: { orderId: string; connectionId: string; maxConnections: number },
    { signal }: CallOptions = {},
  ): Promise<AddConnectionResult> {
    const C = CallbackTable.CONNECTION_FIELDS;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = this.now();
      const nowSeconds = CallbackTable.epochSeconds(now);
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: CallbackTable.orderKey(input.orderId),
            UpdateExpression: "SET #conn = :connection, #ttl = :expiresAt ADD connCount :one",
            ...conditionInput(
              and(
                CallbackClauses.connectionAbsent(input.connectionId),
                CallbackClauses.underConnectionCap(input.maxConnections),
                CallbackClauses.notExpired(nowSeconds),
              ),
              {
                values: {
                  // Its expiry follows from `connectedAt` (CallbackTable.connectionExpiresAt): not kept.
                  ":connection": { [C.connectedAt]: now.getTime() },
                  ":expiresAt": this.itemExpiry(),
                  ":one": 1,
                },
              },
            ),
          }),
          { abortSignal: signal },
        );
        return { admitted: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const item = await this.getOrderItem(input.orderId, signal);
      if (item && this.isExpired(item)) {
        await this.deleteExpiredOrder(input.orderId, signal);
        continue;
      }
      const order = parseOrderItem(input.orderId, item, this.nowSeconds());
      if (order.connections.some((c) => c.connectionId === input.connectionId)) {
        return { admitted: true }; // a retried $connect of a connection already admitted
      }
      if (order.expiredConnectionAttributes.length > 0) {
        await this.pruneConnections(input.orderId, order.expiredConnectionAttributes.slice(0, 20), signal);
      } else if (order.connections.length < input.maxConnections && order.connCount !== order.connections.length) {
        await this.repairConnectionCount(input.orderId, order.connCount, order.connections.length, signal);
      } else if (order.connCount >= input.maxConnections) {
        return { admitted: false, connections: order.connections };
      } else {
        await backoff(attempt, signal); // a connection left between our write and our read
      }
    }
    throw new Error(`Too much contention connecting to order ${input.orderId}`);
  }

  /** Removes connections that expired without `$disconnect`, uncounting exactly those still there. */
  private async pruneConnections(orderId: string, attributes: string[], signal: AbortSignal | undefined) {
    const names = Object.fromEntries(attributes.map((attribute, i) => [`#x${i}`, attribute]));
    const placeholders = Object.keys(names);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(orderId),
          UpdateExpression: `REMOVE ${placeholders.join(", ")} ADD connCount :minus`,
          // All still there: otherwise someone pruned some already, and the count would go wrong.
          ...conditionInput(CallbackClauses.allPresent(attributes), {
            names,
            values: { ":minus": -attributes.length },
          }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The count disagrees with the connections held (e.g. a crash mid-way): set it to what is true. */
  private async repairConnectionCount(orderId: string, read: number, actual: number, signal: AbortSignal | undefined) {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(orderId),
          UpdateExpression: "SET connCount = :actual",
          ...conditionInput(CallbackClauses.connectionCountIs(read), { values: { ":actual": actual } }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** A message from a connection, judged by the connection's bucket in the order's item (./admission). */
  admitMessage(input: AdmissionInput, options: CallOptions = {}): Promise<MessageAdmission> {
    return admitMessage({ client: this.client, tableName: this.tableName, now: this.now }, input, options);
  }

  /**
   * A post answered 410. API Gateway also answers 410 while `$connect` is still running, so the
   * connection goes only if it was surely open when the post was sent: it had synced before the
   * status was read (`syncedAt`: its `syncedAt` as the caller read it before posting, undefined if
   * none) or it connected longer ago than `graceMs`; otherwise it stays for `$disconnect` or its TTL.
   * The item must still hold the `syncedAt` read: one set since may be the very socket that was in
   * `$connect` at the post, now open and synced — removing it would leave a live client that is never
   * posted to again. Returns whether it was removed.
   */
  async removeGoneConnection(
    input: { orderId: string; connectionId: string; graceMs: number; syncedAt: number | undefined },
    { signal }: CallOptions = {},
  ) {
    const gone = CallbackClauses.connectionSurelyGone(
      input.connectionId,
      input.syncedAt,
      this.now().getTime() - input.graceMs,
    );
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(input.orderId),
          UpdateExpression: "REMOVE #conn, #old ADD connCount :minus",
          // The connection is in one layout or the other (./table): one write tries both.
          ...conditionInput(gone, { values: { ":minus": -1 } }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** `$disconnect`: forget the connection in its order's item; idempotent. Returns whether it was there. */
  async removeConnection(
    input: { orderId: string; connectionId: string },
    { signal }: CallOptions = {},
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(input.orderId),
          UpdateExpression: "REMOVE #conn, #old ADD connCount :minus",
          // Only while it is there (in either layout): so it is uncounted once, and no missing item is created.
          ...conditionInput(CallbackClauses.connectionHeld(input.connectionId), { values: { ":minus": -1 } }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The order's item as it stands (empty when unknown or expired): for operators and tests. */
  async readOrder(orderId: string, { signal }: CallOptions = {}): Promise<OrderCallbacks> {
    const item = await this.getOrderItem(orderId, signal);
    return parseOrderItem(orderId, item && !this.isExpired(item) ? item : undefined, this.nowSeconds());
  }

  /** The order's history in occurrence order (empty when unknown or expired). */
  async history(orderId: string, options: CallOptions = {}): Promise<StoredRecord[]> {
    return (await this.readOrder(orderId, options)).history;
  }

  /** For operators: statuses no client has received yet, oldest first (a scan; off the hot path). */
  async listPending({ signal }: CallOptions = {}): Promise<StoredRecord[]> {
    const entries: StoredRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          // Pending is partly derived (./table): every live order's item is read and judged.
          // A scan is billed by what it reads, filtered or not.
          FilterExpression: "#ttl > :nowSeconds",
          ExpressionAttributeNames: { "#ttl": CallbackTable.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
          ExclusiveStartKey: startKey,
        }),
        { abortSignal: signal },
      );
      for (const item of page.Items ?? []) {
        const order = parseOrderItem(String(item[CallbackTable.PARTITION_KEY]), item, this.nowSeconds());
        entries.push(...order.history.filter((entry) => order.pending.has(entry.status)));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  }

  private async getOrderItem(orderId: string, signal: AbortSignal | undefined) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: CallbackTable.orderKey(orderId), ConsistentRead: true }),
      { abortSignal: signal },
    );
    return Item;
  }

  private isExpired(item: Record<string, unknown>) {
    return (
      typeof item[CallbackTable.TTL_ATTRIBUTE] === "number" &&
      (item[CallbackTable.TTL_ATTRIBUTE] as number) <= this.nowSeconds()
    );
  }

  /** An expired order item not yet swept by DynamoDB's TTL process is absent for writers: clear it. */
  private async deleteExpiredOrder(orderId: string, signal: AbortSignal | undefined) {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: CallbackTable.orderKey(orderId),
          ...conditionInput(CallbackClauses.expired(this.nowSeconds())),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
