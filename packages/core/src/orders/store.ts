/**
 * Reads and writes of `OrdersTbl` (layout in ./table). As in the callback store, every
 * decision two invocations could race on is one conditional write.
 */
import { createHash } from "node:crypto";
import { isConditionFailure } from "../platform/condition-expression";
import { absent, and, conditionInput, or } from "../platform/condition-expression";
import * as OrderClauses from "./conditions";
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { OrderRequest } from "./request";
import * as OrderStatus from "../status/event";
import * as OrdersTable from "./table";

/** What the payment step decided, recorded once on the order (with the card token removed in the same write). */
export type PaymentOutcome = { outcome: "paid"; paymentId: string; amountPaid: number } | { outcome: "declined" };

/** The order's reservation of its pets, recorded once by ReserveInventory; `releasedAt` once by ReleaseInventory. */
export type Reservation = { reservationId: string; reservedAt: string; releasedAt?: string };

/** The order's refund, recorded once by ProcessRefund. */
export type Refund = { refundId: string; amountRefunded: number; refundedAt: string };

export type OrderRecord = {
  orderId: string;
  placedAt: string;
  basket: OrderRequest["basket"];
  shippingAddress: OrderRequest["shippingAddress"];
  amountCents: number;
  /** Derived on read: the highest-ranked status held (`OrderStatus.currentStatus`). */
  status: OrderStatus.Status;
  /** Every status seen, by status (each happens at most once per order). */
  statuses: Partial<Record<OrderStatus.Status, OrderStatus.HistoryRecord>>;
  /** Until the payment step has used it (or the order was cancelled before payment); then absent. */
  cardToken?: string;
  /** The payment step's outcome, once it has run. */
  payment?: PaymentOutcome;
  /** The inventory step's reservation, once it has run (and its release). */
  reservation?: Reservation;
  /** The refund step's refund, once it has run. */
  refund?: Refund;
  /** When `POST /orders` had its workflow started (a retry then starts none). */
  workflowStartedAt?: string;
  /** When a `POST /orders` claimed the start of the order's workflow (`claimWorkflowStart`). */
  workflowStartingAt?: string;
  /** The order's one final outcome, written once by CompleteOrder or by the first compensation step: never both. */
  completedAt?: string;
  cancelledAt?: string;
  /** The hash of the Idempotency-Key the order was placed with, if any (erasure finds its record by it). */
  idempotencyKeyHash?: string;
  /**
   * Epoch seconds after which the order is gone for every reader (the table's TTL). Absent on items written before
   * retention.
   */
  expiresAt?: number;
};

/** What `eraseOrder` removed from OrdersTbl: the order's item and its Idempotency-Key's record. */
export type OrderErasure = {
  order: boolean;
  idempotencyRecord: boolean;
  status?: OrderStatus.Status;
  idempotencyKeyKnown: boolean;
};

/** The hash an Idempotency-Key is stored under: the key itself (the shop's) is never stored. */
export const idempotencyKeyHash = (key: string) => createHash("sha256").update(key).digest("hex");

export class OrderStore {
  constructor(
    private readonly config: {
      client: DynamoDBDocumentClient;
      tableName: string;
      now?: () => Date;
      /** How long a new order's item is kept after it was placed (the tunable `orderRetentionDays`). */
      orderRetentionDays?: number;
    },
  ) {}

  private now() {
    return this.config.now?.() ?? new Date();
  }

  private nowSeconds() {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** The order's item exists and has not expired (./conditions). */
  private live() {
    return OrderClauses.live(this.nowSeconds());
  }

  /**
   * Claims an Idempotency-Key for a new order id and the callback token issued with it, or returns
   * the order id and token it was first claimed with: a retry gets the first answer, never a new token.
   * `requestHash` tells a retry (same body) from a misuse of the key (another body).
   */
  async claimIdempotencyKey(input: { key: string; requestHash: string; orderId: string; token: string }) {
    const keyHash = idempotencyKeyHash(input.key);
    const nowSeconds = this.nowSeconds();
    try {
      await this.config.client.send(
        new PutCommand({
          TableName: this.config.tableName,
          Item: {
            ...OrdersTable.idempotencyKey(keyHash),
            orderId: input.orderId,
            requestHash: input.requestHash,
            token: input.token,
            [OrdersTable.TTL_ATTRIBUTE]: nowSeconds + OrdersTable.IDEMPOTENCY_TTL_SECONDS,
          },
          // First claim wins; an expired claim (not yet swept by TTL) counts as absent.
          ...conditionInput(OrderClauses.free(nowSeconds)),
        }),
      );
      return { orderId: input.orderId, token: input.token, keyHash, claimed: true, sameRequest: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await this.config.client.send(
        new GetCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.idempotencyKey(keyHash),
          ConsistentRead: true,
        }),
      );
      if (!Item) throw new Error("Idempotency claim vanished; retry the request");
      return {
        orderId: String(Item.orderId),
        // Claims written before tokens were stored have none: the caller signs one for them.
        token: typeof Item.token === "string" ? Item.token : undefined,
        keyHash,
        claimed: false,
        sameRequest: Item.requestHash === input.requestHash,
      };
    }
  }

  /**
   * Stores a new order as `placed`, with its card token (until the payment step uses it) and an
   * expiry `orderRetentionDays` after `placedAt`; storing it again changes nothing and returns the
   * first `placedAt` (a retry never brings back a card token the payment step removed).
   */
  async createOrder(order: {
    orderId: string;
    placedAt: string;
    request: OrderRequest;
    amountCents: number;
    idempotencyKeyHash?: string;
  }) {
    const placed: OrderStatus.HistoryRecord = { status: "placed", occurredAt: order.placedAt };
    const claimedAt = this.now().toISOString();
    const retentionDays = this.config.orderRetentionDays ?? OrdersTable.DEFAULT_ORDER_RETENTION_DAYS;
    try {
      await this.config.client.send(
        new PutCommand({
          TableName: this.config.tableName,
          Item: {
            ...OrdersTable.orderKey(order.orderId),
            orderId: order.orderId,
            placedAt: order.placedAt,
            basket: order.request.basket,
            shippingAddress: order.request.shippingAddress,
            cardToken: order.request.paymentDetail.cardToken,
            amountCents: order.amountCents,
            statuses: { placed },
            // The request that stores the order holds the claim to start its workflow.
            workflowStartingAt: claimedAt,
            ...(order.idempotencyKeyHash && { idempotencyKeyHash: order.idempotencyKeyHash }),
            [OrdersTable.TTL_ATTRIBUTE]:
              Math.floor(Date.parse(order.placedAt) / 1000) + retentionDays * OrdersTable.DAY_SECONDS,
          },
          ...conditionInput(absent("pk")),
        }),
      );
      return { placedAt: order.placedAt, startClaim: claimedAt as string | undefined };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getOrder(order.orderId);
      if (!existing) throw new Error(`Order ${order.orderId} vanished`);
      return { placedAt: existing.placedAt, startClaim: await this.claimWorkflowStart(order.orderId) };
    }
  }

  /**
   * Claims the start of an order's workflow for this request, in one conditional write made BEFORE
   * StartExecution (an Express name is not unique: whoever asks starts one): the claim's time for the
   * one request that may start it, undefined for the others. A claim lasts `WORKFLOW_START_LEASE_SECONDS`, after which
   * a retry takes
   * it over (the winner's StartExecution failed, or it died). An order without any claim was placed
   * before claims existed, by a request that started its workflow right after storing it (or died
   * there, which a retry cannot tell apart): it counts as started, since a second execution is the
   * worse fault.
   */
  async claimWorkflowStart(orderId: string): Promise<string | undefined> {
    const now = this.now();
    const leaseEnd = new Date(now.getTime() - OrdersTable.WORKFLOW_START_LEASE_SECONDS * 1000).toISOString();
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET workflowStartingAt = :claimedAt",
          ...conditionInput(
            and(this.live(), OrderClauses.workflowNotStarted(), OrderClauses.startClaimOlderThan(leaseEnd)),
            {
              values: { ":claimedAt": now.toISOString() },
            },
          ),
        }),
      );
      return now.toISOString();
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Gives up this request's claim (its StartExecution failed), so that the next retry need not wait out the lease. */
  async releaseWorkflowStart(orderId: string, claimedAt: string) {
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET workflowStartingAt = :epoch",
          ...conditionInput(
            and(OrderClauses.present(), OrderClauses.workflowNotStarted(), OrderClauses.startClaimedAt(claimedAt)),
            {
              values: { ":epoch": new Date(0).toISOString() },
            },
          ),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Notes that the order's workflow was started, once StartExecution has answered: from then on no
   * retry can claim the start (`claimWorkflowStart`), however old its claim.
   */
  async markWorkflowStarted(orderId: string, startedAt: string) {
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET workflowStartedAt = if_not_exists(workflowStartedAt, :startedAt)",
          ...conditionInput(this.live(), { values: { ":startedAt": startedAt } }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // erased meanwhile: nothing to note
    }
  }

  /** The order, or undefined when there is none or it has expired (an expired item awaiting TTL's sweep is absent). */
  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await this.config.client.send(
      new GetCommand({ TableName: this.config.tableName, Key: OrdersTable.orderKey(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const expiresAt = Item[OrdersTable.TTL_ATTRIBUTE];
    if (typeof expiresAt === "number" && expiresAt <= this.nowSeconds()) return undefined;
    const { pk: _pk, status: _stored, statusOccurredAt: _at, ...stored } = Item;
    const record = stored as Omit<OrderRecord, "status">;
    return {
      ...record,
      status: OrderStatus.currentStatus(Object.keys(record.statuses) as OrderStatus.Status[]) ?? "placed",
    };
  }

  /**
   * Applies a status event to the order's projection, in any order and any number of times, in one
   * write: the first event of a status wins (a duplicate's fields never overwrite). The current
   * status is derived from the statuses held (`OrderStatus.currentStatus`), not from their dates.
   * Returns false if the order is unknown here, erased or expired (never writes an item back).
   */
  async applyStatus(detail: OrderStatus.StatusRecord, { signal }: { signal?: AbortSignal } = {}) {
    const entry: OrderStatus.HistoryRecord = { status: detail.status, occurredAt: detail.occurredAt };
    if (detail.reason !== undefined) entry.reason = detail.reason;
    if (detail.amountPaid !== undefined) entry.amountPaid = detail.amountPaid;
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(detail.orderId),
          UpdateExpression: "SET statuses.#status = if_not_exists(statuses.#status, :entry)",
          ...conditionInput(this.live(), { names: { "#status": detail.status }, values: { ":entry": entry } }),
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Settles the order's one final outcome, in one conditional write: `completed` only if the order
   * was not cancelled and its reservation neither released nor refunded, `cancelled` only if it
   * was not completed. Two executions of one order (Express runs at least once) may take opposite
   * branches; whichever settles first decides, and the other learns it here. `"settled"` if the
   * order now holds this outcome (this call or an earlier one), `"opposite"` if it holds the other,
   * `"gone"` if the order is not in the table.
   */
  async settleOutcome(
    orderId: string,
    outcome: "completed" | "cancelled",
    at: string,
  ): Promise<"settled" | "opposite" | "gone"> {
    const [mine, other] =
      outcome === "completed" ? (["completedAt", "cancelledAt"] as const) : (["cancelledAt", "completedAt"] as const);
    const condition =
      outcome === "completed"
        ? and(this.live(), OrderClauses.notSettledAs(other), OrderClauses.notReleased(), OrderClauses.notRefunded())
        : and(this.live(), OrderClauses.notSettledAs(other));
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: `SET ${mine} = if_not_exists(${mine}, :at)`,
          ...conditionInput(condition, { values: { ":at": at } }),
        }),
      );
      return "settled";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getOrder(orderId)) ? "opposite" : "gone";
    }
  }

  /**
   * Records the payment step's outcome and removes the card token, in one conditional write: the
   * first outcome recorded wins and is returned, so a payment step that runs again (a retry, a
   * redriven execution) repeats it instead of charging again. Only while the order is neither
   * cancelled nor released: a payment then is refused (`{ refused: true }`, the card token kept for
   * CancelOrder to remove) and the caller refunds what it charged. Undefined if the order is gone.
   */
  async recordPayment(
    orderId: string,
    outcome: PaymentOutcome,
  ): Promise<PaymentOutcome | { refused: true } | undefined> {
    const condition = and(
      this.live(),
      OrderClauses.notPaid(),
      OrderClauses.notSettledAs("cancelledAt"),
      OrderClauses.notReleased(),
    );
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET payment = :outcome REMOVE cardToken",
          ...conditionInput(condition, { values: { ":outcome": outcome } }),
        }),
      );
      return outcome;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const order = await this.getOrder(orderId);
      if (!order) return undefined;
      return order.payment ?? { refused: true };
    }
  }

  /**
   * Records a step's outcome under `attribute` once, in one conditional write: the first recorded
   * wins and is returned, so a step run again (a retry, a redriven execution, a second Express
   * execution of the same order, at once or later) repeats it. Undefined if the order is gone.
   */
  private async recordOnce<T extends Record<string, unknown>>(
    orderId: string,
    attribute: "reservation" | "refund",
    value: T,
  ): Promise<T | undefined> {
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET #attribute = :value",
          ...conditionInput(and(this.live(), OrderClauses.notRecorded(attribute)), { values: { ":value": value } }),
        }),
      );
      return value;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getOrder(orderId))?.[attribute] as T | undefined;
    }
  }

  /** The order's reservation, recorded once (see `recordOnce`). */
  recordReservation(orderId: string, reservation: Reservation) {
    return this.recordOnce(orderId, "reservation", reservation);
  }

  /** The order's refund, recorded once (see `recordOnce`). */
  recordRefund(orderId: string, refund: Refund) {
    return this.recordOnce(orderId, "refund", refund);
  }

  /**
   * Marks the order's reservation released, once: true if this call released it, false if it was
   * already released, never reserved, or the order is gone (nothing to give back twice).
   */
  async releaseReservation(orderId: string, releasedAt: string) {
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "SET reservation.releasedAt = :releasedAt",
          ...conditionInput(and(this.live(), OrderClauses.reserved(), OrderClauses.notReleased()), {
            values: { ":releasedAt": releasedAt },
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Removes the card token of an order that ends without paying (cancelled before the payment step). False if the order
   * is gone.
   */
  async forgetCard(orderId: string) {
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tableName,
          Key: OrdersTable.orderKey(orderId),
          UpdateExpression: "REMOVE cardToken",
          // Never writes an erased order's item back.
          ...conditionInput(OrderClauses.present()),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Removes the order's item and its Idempotency-Key's record (found by the hash kept on the order),
   * expired or not. The key's record goes first, and only if it still names this order, so that a run
   * cut short is finished by the next one, which still finds the hash. Idempotent: a second run
   * removes nothing and says so.
   */
  async eraseOrder(orderId: string): Promise<OrderErasure> {
    const { Item } = await this.config.client.send(
      new GetCommand({ TableName: this.config.tableName, Key: OrdersTable.orderKey(orderId), ConsistentRead: true }),
    );
    const keyHash = typeof Item?.idempotencyKeyHash === "string" ? Item.idempotencyKeyHash : undefined;
    let idempotencyRecord = false;
    if (keyHash) {
      try {
        await this.config.client.send(
          new DeleteCommand({
            TableName: this.config.tableName,
            Key: OrdersTable.idempotencyKey(keyHash),
            ...conditionInput(OrderClauses.namesOrder(orderId)),
          }),
        );
        idempotencyRecord = true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // already gone, or the key now names another order
      }
    }
    const { Attributes } = await this.config.client.send(
      new DeleteCommand({
        TableName: this.config.tableName,
        Key: OrdersTable.orderKey(orderId),
        ...conditionInput(or(absent("pk"), OrderClauses.namesOrder(orderId))),
        ReturnValues: "ALL_OLD",
      }),
    );
    const statuses = Attributes?.statuses as OrderRecord["statuses"] | undefined;
    return {
      order: Attributes !== undefined,
      idempotencyRecord,
      idempotencyKeyKnown: keyHash !== undefined,
      ...(statuses && { status: OrderStatus.currentStatus(Object.keys(statuses) as OrderStatus.Status[]) ?? "placed" }),
    };
  }
}

/** The history of an order as the API shows it: its statuses in occurrence order. */
export const historyOf = (order: OrderRecord) =>
  Object.values(order.statuses)
    .filter((entry): entry is OrderStatus.HistoryRecord => entry !== undefined)
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
