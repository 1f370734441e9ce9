/**
 * What CreateOrderFunction needs to place an order: the store, Step Functions and EventBridge
 * clients, created once per container on first use; the token secrets as cached for a few minutes
 * (lib/secrets.ts), so a rotation reaches a warm container.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";
import type * as Orders from "@awsomepets/core/orders/service";
import * as env from "./env";
import { orderStore } from "./order-store";
import { callbackTokenKeys } from "./secrets";

let deps: Omit<Orders.OrderDeps, "tokenKeys"> | undefined;

export async function orderDeps(): Promise<Orders.OrderDeps> {
  deps ??= {
    store: orderStore(),
    sfn: new SFNClient({}),
    eventBridge: new EventBridgeClient({}),
    stateMachineArn: env.stateMachineArn(),
    eventBusName: env.eventBusName(),
    websocketUrl: env.websocketUrl(),
    stage: env.stage(),
  };
  return { ...deps, tokenKeys: await callbackTokenKeys() };
}
