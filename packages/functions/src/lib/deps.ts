/** SDK clients and the store, created once per container on first use and reused by every invocation. */
import type * as Callbacks from "@awsomepets/core/callbacks";
import { CallbackStore } from "@awsomepets/core/callback-store";
import { documentClient } from "@awsomepets/core/document-client";
import { managementClient } from "@awsomepets/core/management-client";
import * as env from "./env";

let store: CallbackStore | undefined;
let deps: Callbacks.CallbackDeps | undefined;

export function callbackStore() {
  store ??= new CallbackStore({
    client: documentClient(),
    tableName: env.clientCallbackTable(),
    historyRetentionSeconds: env.historyRetentionSeconds(),
  });
  return store;
}

export function callbackDeps() {
  deps ??= {
    store: callbackStore(),
    management: managementClient(env.managementEndpoint(), env.fanoutConcurrency()),
    concurrency: env.fanoutConcurrency(),
    // Only the figures: the socket's bucket lives in the order's item, where every container sees it.
    syncRate: env.syncRate(),
  };
  return deps;
}
