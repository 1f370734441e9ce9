/** A configured state machine, checked once at startup so that every execution can skip validation. */
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { stateMachineArn } from "./arns";
import { retryingStates, taskStates } from "./definition";
import { nameProblem } from "./names";
import type { TaskHandler } from "./task-handlers";

/** Standard (the default) or asynchronous Express: what differs is modelled in executions.ts and operations.ts. */
export type StateMachineType = "STANDARD" | "EXPRESS";

export interface StateMachineConfig {
  name: string;
  type?: StateMachineType;
  /** The parsed definition, placeholders already substituted (see `loadDefinition`). */
  definition: StateMachineDefinition;
  /** One local function per Task state, by state name: nothing is ever sent to AWS. */
  taskHandlers: Record<string, TaskHandler>;
}

export interface LocalStateMachine extends StateMachineConfig {
  arn: string;
  /** Task state name → its Resource, for history events. */
  resources: ReadonlyMap<string, string>;
  /** Retry waits of every retrying state, when overridden. */
  retryIntervalOverrides?: Record<string, number>;
}

/** Throws, naming the state machine, when the definition is invalid or a Task state has no handler. */
export function localStateMachine(
  config: StateMachineConfig,
  where: { region: string; account: string; retryIntervalOverrideMs?: number; validate?: boolean },
): LocalStateMachine {
  const problem = nameProblem(config.name);
  if (problem) throw new Error(`State machine name ${JSON.stringify(config.name)} ${problem}`);
  // checkArn is off: local substitutions need not be real Lambda ARNs. Throws with the validator's errors.
  // The schema validation costs a few hundred ms; a caller whose definitions its tests validate may skip it.
  if (where.validate !== false)
    new StateMachine(config.definition, { validationOptions: { checkArn: false, checkPaths: true } });

  const tasks = taskStates(config.definition);
  const unhandled = tasks
    .filter((task) => typeof config.taskHandlers[task.name] !== "function")
    .map((task) => task.name);
  if (unhandled.length > 0)
    throw new Error(`State machine ${config.name}: no task handler for ${unhandled.join(", ")}`);
  const unknown = Object.keys(config.taskHandlers).filter((state) => !tasks.some((task) => task.name === state));
  if (unknown.length > 0)
    throw new Error(`State machine ${config.name}: task handlers for states that are not Tasks: ${unknown.join(", ")}`);

  const overrideMs = where.retryIntervalOverrideMs;
  return {
    ...config,
    arn: stateMachineArn(where.region, where.account, config.name),
    resources: new Map(tasks.map((task) => [task.name, task.resource])),
    ...(overrideMs !== undefined
      ? {
          retryIntervalOverrides: Object.fromEntries(
            retryingStates(config.definition).map((state) => [state, overrideMs]),
          ),
        }
      : {}),
  };
}
