/**
 * The order workflow as the local Step Functions endpoint runs it: the same ASL file, with the
 * placeholders the stack fills by CloudFormation filled here, Lambda tasks running the deployed task
 * modules, and `events:putEvents` tasks sent to the local EventBridge endpoint with the real SDK.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import * as Topology from "@awsomepets/core/platform/topology";
import { loadDefinition, taskStates } from "@awsomepets/aws-local/stepfunctions/definition";
import type { StateMachineConfig } from "@awsomepets/aws-local/stepfunctions/server";
import type { FunctionRunner } from "./lambda";

const PUT_EVENTS = "arn:aws:states:::events:putEvents";

type PutEventsParameters = { Entries: Array<Omit<PutEventsRequestEntry, "Detail"> & { Detail?: unknown }> };

/** Step Functions' putEvents integration fails the task (so its Retry applies) when an entry failed. */
function putEventsTask(client: EventBridgeClient) {
  return async (parameters: PutEventsParameters) => {
    const Entries = parameters.Entries.map((entry) => ({
      ...entry,
      Detail: typeof entry.Detail === "string" ? entry.Detail : JSON.stringify(entry.Detail ?? {}),
    }));
    const result = await client.send(new PutEventsCommand({ Entries }));
    if (result.FailedEntryCount) {
      const failed = result.Entries?.find((e) => e.ErrorCode);
      const error = new Error(`${failed?.ErrorCode}: ${failed?.ErrorMessage}`);
      error.name = "EventBridge.FailedEntry";
      throw error;
    }
    return result;
  };
}

function paced<T>(delayMs: number | undefined, step: (input: T) => Promise<unknown>) {
  if (!delayMs) return step;
  return async (input: T) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return step(input);
  };
}

export function orderWorkflow(options: {
  root: string;
  name: string;
  region: string;
  eventBusName: string;
  eventsEndpoint: string;
  runner: FunctionRunner;
  /** `--step-delay`: each Lambda step waits this long first, so the statuses it publishes arrive one by one. */
  stepDelayMs?: number;
  /** The state machine's type (`ORDER_WORKFLOW_TYPE`); the local Step Functions applies the type's limits. */
  type: Topology.WorkflowType;
}): { config: StateMachineConfig; close: () => void } {
  const functionArn = (name: string) => `arn:aws:lambda:${options.region}:000000000000:function:${name}`;
  const substitutions: Record<string, string> = { [Topology.WORKFLOW.eventBusPlaceholder]: options.eventBusName };
  for (const [state, name] of Object.entries(Topology.WORKFLOW.tasks)) {
    substitutions[Topology.taskPlaceholder(state as keyof typeof Topology.WORKFLOW.tasks)] = functionArn(name);
  }
  // The ASL file as it is, for either type: the local Step Functions, as AWS does, ends an Express
  // execution after 5 minutes whatever its TimeoutSeconds (aws-local's EXPRESS_MAX_DURATION_MS), so
  // core's workflowDefinitionFor (the stack's template saying 300 s) would change nothing here.
  const definition = loadDefinition(
    readFileSync(path.join(options.root, Topology.WORKFLOW.definitionFile), "utf8"),
    substitutions,
  );

  const events = new EventBridgeClient({
    endpoint: options.eventsEndpoint,
    region: options.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const byArn = new Map(Object.values(Topology.WORKFLOW.tasks).map((name) => [functionArn(name), name]));
  const taskHandlers: StateMachineConfig["taskHandlers"] = {};
  for (const task of taskStates(definition)) {
    const functionName = byArn.get(task.resource);
    if (functionName)
      taskHandlers[task.name] = paced(options.stepDelayMs, (input) => options.runner.invoke(functionName, input));
    else if (task.resource === PUT_EVENTS) taskHandlers[task.name] = putEventsTask(events);
    else throw new Error(`The local runtime cannot run task ${task.name} (${task.resource})`);
  }
  return {
    config: { name: options.name, type: options.type, definition, taskHandlers },
    close: () => events.destroy(),
  };
}
