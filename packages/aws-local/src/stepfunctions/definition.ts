/**
 * The workflow definition as the stack deploys it: ASL text whose `${Name}` placeholders are replaced
 * like CloudFormation's `DefinitionSubstitutions`, plus the lookups the local runtime needs (which
 * states are Tasks, which retry).
 */
import type { StateMachineDefinition } from "aws-local-stepfunctions";

export type { StateMachineDefinition } from "aws-local-stepfunctions";

type AnyState = StateMachineDefinition["States"][string];

export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

/** `${Name}` with an identifier inside; prose such as the Comment's "${...}" is not a placeholder. */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Substitutes every `${Name}` and parses the result; a placeholder without a value is an error, never left in. */
export function loadDefinition(aslText: string, substitutions: Record<string, string>): StateMachineDefinition {
  const missing = new Set<string>();
  const text = aslText.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = Object.hasOwn(substitutions, name) ? substitutions[name] : undefined;
    if (value === undefined) {
      missing.add(placeholder);
      return placeholder;
    }
    // Placeholders sit inside JSON strings: escape quotes and backslashes so a value cannot break the JSON.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) throw new DefinitionError(`No substitution for ${[...missing].join(", ")}`);
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError(`The definition is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (
    typeof definition !== "object" ||
    definition === null ||
    !("States" in definition) ||
    !("StartAt" in definition)
  ) {
    throw new DefinitionError("The definition has no StartAt or States");
  }
  return definition as StateMachineDefinition;
}

/**
 * Every state with its name, including those inside Parallel branches and Map iterators (the library looks overrides up
 * by name at any depth).
 */
export function allStates(
  definition: Pick<StateMachineDefinition, "States">,
): Array<{ name: string; state: AnyState }> {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const nested =
      state.Type === "Parallel"
        ? state.Branches.flatMap((branch) => allStates(branch))
        : state.Type === "Map"
          ? allStates(state.ItemProcessor ?? state.Iterator ?? { States: {} })
          : [];
    return [{ name, state }, ...nested];
  });
}

/** The Task states and the resource each would call on AWS. */
export function taskStates(definition: StateMachineDefinition): Array<{ name: string; resource: string }> {
  return allStates(definition).flatMap(({ name, state }) =>
    state.Type === "Task" ? [{ name, resource: state.Resource }] : [],
  );
}

/** Names of the states that have a `Retry` field. */
export function retryingStates(definition: StateMachineDefinition): string[] {
  return allStates(definition).flatMap(({ name, state }) => ("Retry" in state && state.Retry ? [name] : []));
}
