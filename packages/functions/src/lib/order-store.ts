/**
 * The order service's store, created once per container on first use (the functions that only read or project orders
 * need nothing else).
 */
import { OrderStore } from "@awsomepets/core/orders/store";
import * as Aws from "@awsomepets/core/platform/aws";
import * as env from "./env";

let store: OrderStore | undefined;

export function orderStore() {
  store ??= new OrderStore({
    client: Aws.documentClient(),
    tableName: env.ordersTable(),
    orderRetentionDays: env.orderRetentionDays(),
  });
  return store;
}
