/**
 * `npm run pending`: the statuses no client has received yet, oldest first, from ClientCallbackTbl
 * (core's CallbackStore.listPending: one Scan of the table, fine for an operator's look).
 */
import { CallbackStore } from "@awsomepets/core/callbacks/store";
import * as Aws from "@awsomepets/core/platform/aws";
import { type AwsCallContext, explainAwsError } from "../aws-error-message";

import { CommandError } from "../cli-errors";
import { processIo, runAsScript } from "../run-command";
import { localRuntime } from "./local-resources";
import { readOpsFlags, TARGET_USAGE } from "./ops-target";
import { pendingLines } from "./pending-report";
import { readStageOutputs, STACK_OUTPUTS, stageClientConfig, stageContext } from "./stack-outputs";

const PENDING_USAGE = `Usage: npm run pending -- [--json] [target]
Lists the statuses no client has received yet, oldest first: marked when a status's first delivery
reached no socket, cleared when a client gets it (its sync, or a later delivery of the event).
A replayed or duplicated event never marks a status again.
  --json   one JSON array instead of the table
${TARGET_USAGE}`;

runAsScript("pending", PENDING_USAGE, async () => {
  const { values, target } = readOpsFlags(process.argv.slice(2), { json: { type: "boolean" } }, process.env);
  let where: { config: Parameters<typeof Aws.documentClient>[0]; tableName: string; context: AwsCallContext };
  if (target.kind === "local") {
    const runtime = localRuntime();
    where = {
      config: runtime.clientConfig(runtime.state.endpoints.dynamodb),
      tableName: runtime.clientCallbackTable(),
      context: runtime.context(runtime.state.endpoints.dynamodb),
    };
  } else {
    const { ClientCallbackTable } = await readStageOutputs(target, "Callbacks", [
      STACK_OUTPUTS.Callbacks.clientCallbackTable,
    ]);
    where = {
      config: stageClientConfig(target),
      tableName: ClientCallbackTable,
      context: stageContext(target, "DynamoDB"),
    };
  }
  const client = Aws.documentClient(where.config);
  try {
    const entries = await new CallbackStore({ client, tableName: where.tableName }).listPending();
    for (const line of pendingLines(entries, values.json === true)) processIo.out(line);
  } catch (error) {
    throw new CommandError(explainAwsError(error, where.context));
  } finally {
    client.destroy();
  }
});
