/**
 * Configuration, read from the environment once per container and loudly when missing. The names
 * come from core's wiring contract (`Topology.ENV`), which the stacks and `npm start` set from too;
 * the tunables go through core's one parser (`parseRuntimeTunable`: the check the stacks validated
 * them with at synth, so a value the stack would refuse fails here with the same message.
 */
import { getStringFromEnv } from "@aws-lambda-powertools/commons/utils/env";
// Core's modules one by one, not its barrel: every function imports this file, and must not bundle
// the SDK clients other functions call.
import * as Topology from "@awsomepets/core/platform/topology";
import * as RuntimeTunables from "@awsomepets/core/platform/runtime-tunables";

const once = <T>(read: () => T) => {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: read() };
    return value.v;
  };
};

const required = (setting: Topology.Setting) =>
  once(() => getStringFromEnv({ key: Topology.ENV[setting], errorMessage: `${Topology.ENV[setting]} is not set` }));
const tunable = (name: RuntimeTunables.RuntimeTunableName) =>
  once(() => RuntimeTunables.parseRuntimeTunable(name, process.env[RuntimeTunables.RUNTIME_TUNABLES[name].variable]));

export const clientCallbackTable = /* @__PURE__ */ required("clientCallbackTable");
export const managementEndpoint = /* @__PURE__ */ required("managementEndpoint");
export const ordersTable = /* @__PURE__ */ required("ordersTable");
export const stateMachineArn = /* @__PURE__ */ required("stateMachineArn");
export const eventBusName = /* @__PURE__ */ required("eventBusName");
export const websocketUrl = /* @__PURE__ */ required("websocketUrl");
/** The stage bound into callback tokens (`STAGE_KEEPS_DATA` is read with the secrets, lib/secrets.ts). */
export const stage = /* @__PURE__ */ required("stage");
/** What the edge adds to every request it passes on (core's platform/origin-verify.ts). Never logged. */
export const originVerify = /* @__PURE__ */ required("originVerify");

export const historyRetentionSeconds = /* @__PURE__ */ tunable("historyRetentionSeconds");
export const orderRetentionDays = /* @__PURE__ */ tunable("orderRetentionDays");
export const fanoutConcurrency = /* @__PURE__ */ tunable("fanoutConcurrency");
export const maxConnectionsPerOrder = /* @__PURE__ */ tunable("maxConnectionsPerOrder");
const syncRatePerSecond = /* @__PURE__ */ tunable("syncRatePerSecond");
const syncBurst = /* @__PURE__ */ tunable("syncBurst");
export const syncRate = /* @__PURE__ */ once(() => ({ perSecond: syncRatePerSecond(), burst: syncBurst() }));
