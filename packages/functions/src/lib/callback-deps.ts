/** SDK clients and the store, created once per container on first use and reused by every invocation. */
import type * as Callbacks from "@awsomepets/core/callbacks/service";
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import * as env from "./env";

let store: CallbackStore | undefined;
let deps: Callbacks.CallbackDeps | undefined;

export function callbackStore() {
  store ??= new CallbackStore({
    client: Aws.documentClient(),
    tableName: env.clientCallbackTable(),
    historyRetentionSeconds: env.historyRetentionSeconds(),
  });
  return store;
}

export function callbackDeps() {
  deps ??= {
    store: callbackStore(),
    management: Aws.managementClient(env.managementEndpoint(), env.fanoutConcurrency()),
    concurrency: env.fanoutConcurrency(),
    // Only the figures: the socket's bucket lives in the order's item, where every container sees it.
    syncRate: env.syncRate(),
  };
  return deps;
}
