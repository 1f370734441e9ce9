/** The order service's store, created once per container on first use (the functions that only read or project orders need nothing else). */
import { documentClient } from "@awsomepets/core/document-client";
import { OrderStore } from "@awsomepets/core/order-store";
import * as env from "./env";

let store: OrderStore | undefined;

export function orderStore() {
  store ??= new OrderStore({
    client: documentClient(),
    tableName: env.ordersTable(),
    orderRetentionDays: env.orderRetentionDays(),
  });
  return store;
}
