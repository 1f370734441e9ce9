/**
 * Reads and writes of `OrdersTbl` (layout in ./orders-table). As in the callback store, every
 * decision two invocations could race on is one conditional write.
 */
import { createHash } from "node:crypto";
import { isConditionFailure } from "./dynamodb-conditions";
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OrderRequest } from "./order";
import * as OrderStatus from "./order-status";
import * as Table from "./orders-table";

export type StatusEntry = { status: OrderStatus.Status; occurredAt: string; reason?: string; amountPaid?: number };

export type OrderRecord = {
  orderId: string;
  placedAt: string;
  basket: OrderRequest["basket"];
  shippingAddress: OrderRequest["shippingAddress"];
  amountCents: number;
  /** Derived on read: the highest-ranked status held (`OrderStatus.currentStatus`). */
  status: OrderStatus.Status;
  /** Every status seen, by status (each happens at most once per order). */
  statuses: Partial<Record<OrderStatus.Status, StatusEntry>>;
};


export class OrderStore {
  constructor(
    private readonly config: { client: DynamoDBDocumentClient; tableName: string; now?: () => Date },
  ) {}

  private now() {
    return this.config.now?.() ?? new Date();
  }

  /**
   * Claims an Idempotency-Key for a new order id and the callback token issued with it, or returns
   * the order id and token it was first claimed with: a retry gets the first answer, never a new token.
   * `requestHash` tells a retry (same body) from a misuse of the key (another body).
   */
  async claimIdempotencyKey(input: { key: string; requestHash: string; orderId: string; token: string }) {
    const keyHash = createHash("sha256").update(input.key).digest("hex");
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    try {
      await this.config.client.send(
        new PutCommand({
          TableName: this.config.tableName,
          Item: {
            ...Table.idempotencyKey(keyHash),
            orderId: input.orderId,
            requestHash: input.requestHash,
            token: input.token,
            [Table.TTL_ATTRIBUTE]: nowSeconds + Table.IDEMPOTENCY_TTL_SECONDS,
          },
          // First claim wins; an expired claim (not yet swept by TTL) counts as absent.
          ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
          ExpressionAttributeNames: { "#ttl": Table.TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ":now": nowSeconds },
        }),
      );
      return { orderId: input.orderId, token: input.token, claimed: true, sameRequest: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.config.client.send(
        new GetCommand({ TableName: this.config.tableName, Key: Table.idempotencyKey(keyHash), ConsistentRead: true }),
      );
      if (!Item) throw new Error("Idempotency claim vanished; retry the request");
      return {
        orderId: String(Item.orderId),
        // Claims written before tokens were stored have none: the caller signs one for them.
        token: typeof Item.token === "string" ? Item.token : undefined,
        claimed: false,
        sameRequest: Item.requestHash === input.requestHash,
      };
    }
  }

  /** Stores a new order as `placed`; storing it again changes nothing and returns the first `placedAt`. */
  async createOrder(order: { orderId: string; placedAt: string; request: OrderRequest; amountCents: number }) {
    const placed: StatusEntry = { status: "placed", occurredAt: order.placedAt };
    try {
      await this.config.client.send(
        new PutCommand({
          TableName: this.config.tableName,
          Item: {
            ...Table.orderKey(order.orderId),
            orderId: order.orderId,
            placedAt: order.placedAt,
            basket: order.request.basket,
            shippingAddress: order.request.shippingAddress,
            amountCents: order.amountCents,
            statuses: { placed },
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { placedAt: order.placedAt };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getOrder(order.orderId);
      if (!existing) throw new Error(`Order ${order.orderId} vanished`);
      return { placedAt: existing.placedAt };
    }
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await this.config.client.send(
      new GetCommand({ TableName: this.config.tableName, Key: Table.orderKey(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, status: _stored, statusOccurredAt: _at, ...stored } = Item;
    const record = stored as Omit<OrderRecord, "status">;
    return { ...record, status: OrderStatus.currentStatus(Object.keys(record.statuses) as OrderStatus.Status[]) ?? "placed" };
  }

  /**
   * Applies a status event to the order's projection, in any order and any number of times, in one
   * write: the first event of a status wins (a duplicate's fields never overwrite). The current
   * status is derived from the statuses held (`OrderStatus.currentStatus`), not from their dates.
   * Returns false if the order is unknown here.
   */
  async applyStatus(detail: OrderStatus.Detail, { signal }: { signal?: AbortSignal } = {}) {
    const entry: StatusEntry = { status: detail.status, occurredAt: detail.occurredAt };
    if (detail.reason !== undefined) entry.reason = detail.reason;
    if (detail.amountPaid !== undefined) entry.amountPaid = detail.amountPaid;
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: Table.orderKey(detail.orderId),
          UpdateExpression: "SET statuses.#status = if_not_exists(statuses.#status, :entry)",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#status": detail.status },
          ExpressionAttributeValues: { ":entry": entry },
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** The history of an order as the API shows it: its statuses in occurrence order. */
export const historyOf = (order: OrderRecord) =>
  Object.values(order.statuses)
    .filter((entry): entry is StatusEntry => entry !== undefined)
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
