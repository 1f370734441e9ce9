/**
 * Configuration, read from the environment once per container and loudly when missing. The names
 * come from core's wiring contract (`Topology.ENV`), which the stacks and `npm start` set from too;
 * the tunables go through core's one parser (`Tunables.parseTunable`), the one the stacks validated
 * them with at synth, so a value the stack would refuse fails here with the same message.
 */
import { getStringFromEnv } from "@aws-lambda-powertools/commons/utils/env";
// Core's modules one by one, not its barrel: every function imports this file, and must not bundle
// the SDK clients other functions call.
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";

const once = <T>(read: () => T) => {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: read() };
    return value.v;
  };
};

const required = (setting: Topology.Setting) =>
  once(() => getStringFromEnv({ key: Topology.ENV[setting], errorMessage: `${Topology.ENV[setting]} is not set` }));
const tunable = (name: Tunables.TunableName) =>
  once(() => Tunables.parseTunable(name, process.env[Tunables.TUNABLES[name].variable]));

export const clientCallbackTable = required("clientCallbackTable");
export const managementEndpoint = required("managementEndpoint");
export const ordersTable = required("ordersTable");
export const stateMachineArn = required("stateMachineArn");
export const eventBusName = required("eventBusName");
export const websocketUrl = required("websocketUrl");
/** The stage bound into callback tokens (`STAGE_KEEPS_DATA` is read with the secrets, lib/secrets.ts). */
export const stage = required("stage");
/** What the edge adds to every request it passes on (core's platform/origin-verify.ts). Never logged. */
export const originVerify = required("originVerify");

export const historyRetentionSeconds = tunable("historyRetentionSeconds");
export const orderRetentionDays = tunable("orderRetentionDays");
export const fanoutConcurrency = tunable("fanoutConcurrency");
export const maxConnectionsPerOrder = tunable("maxConnectionsPerOrder");
const syncRatePerSecond = tunable("syncRatePerSecond");
const syncBurst = tunable("syncBurst");
export const syncRate = once(() => ({ perSecond: syncRatePerSecond(), burst: syncBurst() }));
