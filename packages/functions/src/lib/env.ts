/**
 * Configuration, read from the environment once per container and loudly when missing. The names
 * come from core's wiring contract (`Topology.ENV`), which the stacks and `npm start` set from too.
 */
import { getNumberFromEnv, getStringFromEnv } from "@aws-lambda-powertools/commons/utils/env";
// Core's modules one by one, not its barrel: every function imports this file, and must not bundle
// the SDK clients other functions call.
import * as CallbackTable from "@awsomepets/core/callback-table";
import * as SyncRateLimit from "@awsomepets/core/sync-rate-limit";
import * as Topology from "@awsomepets/core/topology";

const once = <T>(read: () => T) => {
  let value: { v: T } | undefined;
  return () => (value ??= { v: read() }).v;
};

const required = (setting: Topology.Setting) =>
  once(() => getStringFromEnv({ key: Topology.ENV[setting], errorMessage: `${Topology.ENV[setting]} is not set` }));
export const tunable = (setting: Topology.Setting, defaultValue: number) =>
  once(() => getNumberFromEnv({ key: Topology.ENV[setting], defaultValue }));

export const clientCallbackTable = required("clientCallbackTable");
export const managementEndpoint = required("managementEndpoint");
export const ordersTable = required("ordersTable");
export const stateMachineArn = required("stateMachineArn");
export const eventBusName = required("eventBusName");
export const websocketUrl = required("websocketUrl");

export const historyRetentionSeconds = tunable("historyRetentionSeconds", CallbackTable.DEFAULT_HISTORY_RETENTION_SECONDS);
export const maxConnectionsPerOrder = tunable("maxConnectionsPerOrder", CallbackTable.DEFAULT_MAX_CONNECTIONS_PER_ORDER);
export const syncRate = once(() => ({
  perSecond: tunable("syncRatePerSecond", SyncRateLimit.DEFAULT_SYNC_RATE.perSecond)(),
  burst: tunable("syncBurst", SyncRateLimit.DEFAULT_SYNC_RATE.burst)(),
}));
