/**
 * The numbers an operator may set at deploy (environment variables of `sst deploy`), read once through
 * core's `Tunables` (whose check, `parseSpec`, the functions use at run time too). Every bad value is named at
 * once and stops the synth; SST prints a VisibleError's message without a stack trace.
 */
import { VisibleError } from "sst/error.js";
import type * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";

export type DeploySettings = Record<Tunables.TunableName, number>;

export function deploySettings(env: Record<string, string | undefined> = process.env): DeploySettings {
  try {
    return Tunables.readTunables(env, Object.keys(Tunables.TUNABLES) as Tunables.TunableName[]);
  } catch (error) {
    if (error instanceof Tunables.TunableError)
      throw new VisibleError(`Deploy settings out of range:\n${error.message}`);
    throw error;
  }
}

/**
 * The stages' and routes' throttles (Topology.API_THROTTLES unless overridden at deploy); `npm start` reads the same.
 */
export const throttlesOf = Tunables.throttlesOf;

/** What the callback functions read (Topology.WIRING), as the strings their environment holds. */
export function callbackTunables(settings: DeploySettings): Partial<Record<Topology.Setting, string>> {
  return {
    historyRetentionSeconds: String(settings.historyRetentionSeconds),
    maxConnectionsPerOrder: String(settings.maxConnectionsPerOrder),
    syncRatePerSecond: String(settings.syncRatePerSecond),
    syncBurst: String(settings.syncBurst),
    fanoutConcurrency: String(settings.fanoutConcurrency),
  };
}

/**
 * The order workflow's type and the one being drained (`ORDER_WORKFLOW_TYPE`, `ORDER_WORKFLOW_DRAINING`), through
 * core's one parser.
 */
export function workflowSettings(env: Record<string, string | undefined> = process.env): Tunables.Choices {
  try {
    return Tunables.readChoices(env);
  } catch (error) {
    if (error instanceof Tunables.TunableError)
      throw new VisibleError(`Deploy settings out of range:\n${error.message}`);
    throw error;
  }
}
