/**
 * DynamoDB condition expressions built from named clauses (as Powertools builds them): each clause
 * carries the names and values it uses, so a condition reads as its meaning (`and(live(now),
 * absent("payment"))`) and each clause is written in one place. `and` brackets an `or` it contains.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";

export type Names = Record<string, string>;
export type Values = Record<string, unknown>;
export type Condition = { expression: string; names: Names; values: Values; or?: true };

/** One clause: its expression and the `#name`s and `:value`s it uses. */
export const clause = (expression: string, names: Names = {}, values: Values = {}): Condition => ({
  expression,
  names,
  values,
});

/** The attribute (a path, or a `#name` given in `names`) is present. */
export const exists = (path: string, names?: Names) => clause(`attribute_exists(${path})`, names);

/** The attribute (a path, or a `#name` given in `names`) is absent. */
export const absent = (path: string, names?: Names) => clause(`attribute_not_exists(${path})`, names);

function merged<T>(kind: string, maps: T[]): T {
  const out: Record<string, unknown> = {};
  for (const map of maps)
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      if (key in out && out[key] !== value) throw new Error(`Two clauses give ${kind} ${key} different meanings`);
      out[key] = value;
    }
  return out as T;
}

const joined = (operator: string, conditions: Condition[], bracketOr: boolean): Condition => ({
  expression: conditions
    .map((c) => (bracketOr && c.or && conditions.length > 1 ? `(${c.expression})` : c.expression))
    .join(` ${operator} `),
  names: merged(
    "the name",
    conditions.map((c) => c.names),
  ),
  values: merged(
    "the value",
    conditions.map((c) => c.values),
  ),
});

/** Every clause holds. One clause is returned as it is, so an `or` stays marked for the `and` above it. */
export const and = (...conditions: Condition[]): Condition =>
  conditions.length === 1 ? conditions[0]! : joined("AND", conditions, true);

/** At least one clause holds (bracketed when an `and` takes it in). */
export const or = (...conditions: Condition[]): Condition => ({ ...joined("OR", conditions, false), or: true });

/**
 * A command's `ConditionExpression` with the names and values of the condition and of the command's
 * own expressions (`UpdateExpression`, …); a map left empty is left out (DynamoDB rejects empty ones).
 */
export function conditionInput(condition: Condition, own: { names?: Names; values?: Values } = {}) {
  const names = merged("the name", [own.names ?? {}, condition.names]);
  const values = merged("the value", [own.values ?? {}, condition.values]);
  return {
    ConditionExpression: condition.expression,
    ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
  };
}

/** A conditional write lost: the expected, handled outcome of a race, not an error. */
export const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
