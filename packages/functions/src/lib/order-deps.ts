/** The order service's clients and store, created once per container on first use. */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";
import { Aws, OrderStore, type Orders } from "@awsomepets/core/index";
import * as env from "./env";
import { callbackTokenSecret } from "./secrets";

let store: OrderStore | undefined;
let deps: Orders.OrderDeps | undefined;

export function orderStore() {
  store ??= new OrderStore({ client: Aws.documentClient(), tableName: env.ordersTable() });
  return store;
}

export async function orderDeps(): Promise<Orders.OrderDeps> {
  deps ??= {
    store: orderStore(),
    sfn: new SFNClient({}),
    eventBridge: new EventBridgeClient({}),
    stateMachineArn: env.stateMachineArn(),
    eventBusName: env.eventBusName(),
    websocketUrl: env.websocketUrl(),
    tokenSecret: await callbackTokenSecret(),
  };
  return deps;
}
