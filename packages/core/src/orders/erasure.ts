/**
 * Erasing a customer's order from every table that holds it: `OrdersTbl` (the order's item and its
 * Idempotency-Key's record) and `ClientCallbackTbl` (the order's callback item). What stays
 * elsewhere, and for how long, is in docs/deploy-and-operate.md ("Erasing a customer's order").
 */
import { DeleteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as CallbackTable from "../callbacks/table";
import { OrderStore } from "./store";
import type * as OrderStatus from "../status/event";

export type EraseDeps = { client: DynamoDBDocumentClient; ordersTable: string; clientCallbackTable: string };

export type ErasureReport = {
  orderId: string;
  /** Whether each was there and is now removed. */
  removed: { order: boolean; idempotencyRecord: boolean; callbackItem: boolean };
  /** False when the order's item named no Idempotency-Key (placed without one, or before keys were kept on orders). */
  idempotencyKeyKnown: boolean;
  /** The order's status when its item was removed, if it was there. */
  status?: OrderStatus.Status;
};

/** Nothing was left to remove: a second run, or an order this stage never held. */
export const nothingRemoved = (report: ErasureReport) => !Object.values(report.removed).some(Boolean);

/**
 * Removes an order from every table it is in. Idempotent: run again, it removes nothing and says so.
 * The callback item goes first and the order's item last, since that item holds the hash that finds
 * the Idempotency-Key's record: a run cut short is finished by the next one. An order whose workflow
 * is still running may write its callback item again with a later status: erase it after it ends
 * (`status` says whether it had).
 *
 * @example
 * const report = await eraseOrder({ client, ordersTable, clientCallbackTable }, orderId);
 * if (nothingRemoved(report)) console.log("nothing was left");
 */
export async function eraseOrder(deps: EraseDeps, orderId: string): Promise<ErasureReport> {
  const { Attributes } = await deps.client.send(
    new DeleteCommand({
      TableName: deps.clientCallbackTable,
      Key: CallbackTable.orderKey(orderId),
      ReturnValues: "ALL_OLD",
    }),
  );
  const orders = await new OrderStore({ client: deps.client, tableName: deps.ordersTable }).eraseOrder(orderId);
  return {
    orderId,
    removed: {
      order: orders.order,
      idempotencyRecord: orders.idempotencyRecord,
      callbackItem: Attributes !== undefined,
    },
    idempotencyKeyKnown: orders.idempotencyKeyKnown,
    ...(orders.status && { status: orders.status }),
  };
}
