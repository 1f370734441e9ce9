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

export function orderDeps(): Orders.OrderDeps {
  deps ??= {
    store: orderStore(),
    sfn: new SFNClient({}),
    eventBridge: new EventBridgeClient({}),
    stateMachineArn: env.stateMachineArn(),
    eventBusName: env.eventBusName(),
    websocketUrl: env.websocketUrl(),
    tokenSecret: callbackTokenSecret(),
  };
  return deps;
}
