/** What CreateOrderFunction needs to place an order: the store, Step Functions and EventBridge clients, created once per container on first use. */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";
import type * as Orders from "@awsomepets/core/orders";
import * as env from "./env";
import { orderStore } from "./order-store";
import { callbackTokenSecret } from "./secrets";

let deps: Orders.OrderDeps | undefined;

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
