/** SDK clients and the store, created once per container on first use and reused by every invocation. */
import { Aws, CallbackStore, SyncRateLimit, type Callbacks } from "@awsomepets/core/index";
import * as env from "./env";

let store: CallbackStore | undefined;
let deps: (Callbacks.CallbackDeps & { rateLimit: SyncRateLimit.SyncRateLimit }) | undefined;

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
    // In the container's memory on purpose: refusing a flood must cost no request (see core).
    rateLimit: new SyncRateLimit.SyncRateLimit(env.syncRate()),
  };
  return deps;
}
