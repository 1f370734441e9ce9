/**
 * What the operator commands use of the running `npm start`: its endpoints, table and bus, from
 * its state file. Dummy credentials: the local endpoints check no signature, and real ones must
 * never be sent to them.
 */
import { readRunningRuntime } from "../local-runtime";
import { CommandError } from "../cli-errors";
import type { AwsCallContext } from "../aws-error-message";

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/** The runtime names its tables like the stacks do: `<stage>-<app>-ClientCallbackTbl`, `…-OrdersTbl`. */
const CALLBACK_TABLE_SUFFIX = "-ClientCallbackTbl";
const ORDERS_TABLE_SUFFIX = "-OrdersTbl";

export function localRuntime(stateFile?: string) {
  const state = readRunningRuntime(stateFile);
  const clientConfig = (endpoint: string) => ({ endpoint, region: state.region, credentials: LOCAL_CREDENTIALS });
  const context = (endpoint: string): AwsCallContext => ({ endpoint });
  const tableEndingWith = (suffix: string) => {
    const table = state.tables.find((name) => name.endsWith(suffix));
    if (!table)
      throw new CommandError(
        `The local runtime lists no *${suffix} table (is it an older version? restart \`npm start\`)`,
      );
    return table;
  };
  return {
    state,
    clientConfig,
    context,
    clientCallbackTable() {
      return tableEndingWith(CALLBACK_TABLE_SUFFIX);
    },
    ordersTable() {
      return tableEndingWith(ORDERS_TABLE_SUFFIX);
    },
    replayArns() {
      if (!state.eventArchiveArn || !state.eventBusArn)
        throw new CommandError("The local runtime has no event archive (is it an older version? restart `npm start`)");
      return { eventArchiveArn: state.eventArchiveArn, eventBusArn: state.eventBusArn };
    },
  };
}
