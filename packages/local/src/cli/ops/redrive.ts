/**
 * `npm run redrive`: dead-letter messages back to where they failed. On a stage: the two SQS
 * dead-letter queues, each into its function (see redrive-queue.ts); locally: the local
 * EventBridge's dead-letter log, each entry to its rule's target (see local-dead-letters.ts).
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { explainAwsError } from "../aws-error-message";
import { CommandError } from "../cli-errors";
import { processIo, runAsScript } from "../run-command";
import { localRuntime } from "./local-resources";
import { readOpsFlags, TARGET_USAGE, type OpsTarget } from "./ops-target";
import { redriveLocal } from "./local-dead-letters";
import { redriveQueue, type QueueRedrive, type RedriveCounts } from "./redrive-queue";
import { readStageOutputs, STACK_OUTPUTS, stageClientConfig, stageContext } from "./stack-outputs";

const REDRIVE_USAGE = `Usage: npm run redrive -- [--dry-run] [target]
Sends every dead-lettered status event back to the function that failed it, with its retry policy anew.
  --dry-run   list what would be redriven; change nothing
${TARGET_USAGE}`;

/** The stage's two dead-letter queues and the function each one's messages failed in. */
async function stageQueues(target: Extract<OpsTarget, { kind: "stage" }>): Promise<QueueRedrive[]> {
  const { Callbacks, Orders } = STACK_OUTPUTS;
  const callbacks = await readStageOutputs(target, "Callbacks", [
    Callbacks.callbackDeadLetterQueueUrl,
    Callbacks.callbackFunctionName,
  ]);
  const orders = await readStageOutputs(target, "Orders", [
    Orders.projectionDeadLetterQueueUrl,
    Orders.projectionFunctionName,
  ]);
  return [
    {
      queueUrl: callbacks[Callbacks.callbackDeadLetterQueueUrl],
      functionName: callbacks[Callbacks.callbackFunctionName],
    },
    { queueUrl: orders[Orders.projectionDeadLetterQueueUrl], functionName: orders[Orders.projectionFunctionName] },
  ];
}

async function redriveStage(target: Extract<OpsTarget, { kind: "stage" }>, dryRun: boolean): Promise<RedriveCounts> {
  const queues = await stageQueues(target);
  const sqs = new SQSClient(stageClientConfig(target));
  const lambda = new LambdaClient(stageClientConfig(target));
  const total = { redriven: 0, skipped: 0 };
  try {
    for (const queue of queues) {
      const counts = await redriveQueue({
        ...queue,
        sqs: (c) => sqs.send(c),
        lambda: (c) => lambda.send(c),
        dryRun,
        out: processIo.out,
      });
      total.redriven += counts.redriven;
      total.skipped += counts.skipped;
    }
    return total;
  } catch (error) {
    throw new CommandError(explainAwsError(error, stageContext(target, "SQS/Lambda")));
  } finally {
    sqs.destroy();
    lambda.destroy();
  }
}

runAsScript("redrive", REDRIVE_USAGE, async () => {
  const { values, target } = readOpsFlags(process.argv.slice(2), { "dry-run": { type: "boolean" } }, process.env);
  const dryRun = values["dry-run"] === true;
  let counts: RedriveCounts;
  if (target.kind === "local") {
    const runtime = localRuntime();
    const endpoint = runtime.state.endpoints.events;
    try {
      counts = await redriveLocal({ eventsEndpoint: endpoint, dryRun, out: processIo.out });
    } catch (error) {
      throw new CommandError(explainAwsError(error, runtime.context(endpoint)));
    }
  } else {
    counts = await redriveStage(target, dryRun);
  }
  processIo.out(
    `${counts.redriven} ${dryRun ? "would be redriven" : "redriven"}${counts.skipped ? `, ${counts.skipped} not understood (left in place)` : ""}`,
  );
  return counts.skipped > 0 ? 1 : 0;
});
