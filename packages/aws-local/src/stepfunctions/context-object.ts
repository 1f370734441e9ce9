/**
 * The Context Object (`$$`) of one execution. aws-local-stepfunctions fills only `Execution.Input` and
 * `Execution.StartTime`, and never `State`; the saga stamps every published status with
 * `$$.State.EnteredTime`. The library keeps our `State` object by reference and evaluates JSONPath on
 * it, so `State` has getters that read the entry of the current state, recorded when the library looks
 * the state up in `definition.States` (it does so exactly once per transition, just before entering).
 */
import type { StateMachine, StateMachineDefinition } from "aws-local-stepfunctions";

type ExecutionInput = Parameters<StateMachine["run"]>[0];

export type StateEntry = { name: string; enteredTime: string };

/**
 * Entries of one execution's states. Each entry time is at least 1 ms after the previous one, so
 * statuses stamped with it sort in the order they happened even when local states take under 1 ms.
 */
export class StateEntries {
  private lastMs = 0;
  current: StateEntry | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  enter(name: string): void {
    this.lastMs = Math.max(this.now().getTime(), this.lastMs + 1);
    this.current = { name, enteredTime: new Date(this.lastMs).toISOString() };
  }
}

/** The same definition whose `States` lookups record the state being entered. Use a copy per execution. */
export function recordingStateEntries(
  definition: StateMachineDefinition,
  entries: StateEntries,
): StateMachineDefinition {
  const states = new Proxy(definition.States, {
    get(target, property, receiver) {
      if (typeof property === "string" && Object.hasOwn(target, property)) entries.enter(property);
      return Reflect.get(target, property, receiver);
    },
  });
  return { ...definition, States: states };
}

export interface ContextFields {
  executionArn: string;
  executionName: string;
  input: ExecutionInput;
  startDate: Date;
  roleArn: string;
  stateMachineArn: string;
  stateMachineName: string;
}

export function contextObject(fields: ContextFields, entries: StateEntries) {
  const state = {
    get EnteredTime() {
      return entries.current?.enteredTime;
    },
    get Name() {
      return entries.current?.name;
    },
  };
  return {
    Execution: {
      Id: fields.executionArn,
      Name: fields.executionName,
      RoleArn: fields.roleArn,
      StartTime: fields.startDate.toISOString(),
      Input: fields.input,
    },
    StateMachine: { Id: fields.stateMachineArn, Name: fields.stateMachineName },
    State: state,
  };
}
