/**
 * The conditions an event pattern puts on one field: the elements of a pattern array such as
 * `["a", { "prefix": "b" }, { "numeric": [">", 0] }]`. Each element becomes a predicate over the
 * leaf values found at the field's path (several when the event holds an array, none when absent);
 * the field matches when any element matches (see pattern.ts).
 */
import { EventPatternError } from "./pattern-error";
import { compileNumericRange } from "./pattern-numeric";
import { wildcardToRegExp } from "./wildcard";

export type Leaf = string | number | boolean | null;
export type LeafCondition = (values: readonly Leaf[]) => boolean;
type StringTest = (value: string) => boolean;

export function isLeaf(value: unknown): value is Leaf {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Compiles one element of a pattern array; throws EventPatternError when it is malformed. */
export function compileLeafCondition(element: unknown, path: string): LeafCondition {
  if (isLeaf(element)) return (values) => values.some((value) => value === element);
  if (!isPlainObject(element))
    throw new EventPatternError(path, "a pattern array may hold only values and operator objects, not nested arrays");

  const [operator, ...others] = Object.keys(element);
  if (operator === undefined || others.length > 0) {
    throw new EventPatternError(
      path,
      `an operator object needs exactly one operator, found ${JSON.stringify(Object.keys(element))}`,
    );
  }
  const operand = element[operator];
  const at = `${path}.${operator}`;
  switch (operator) {
    case "exists":
      if (typeof operand !== "boolean") throw new EventPatternError(at, "exists takes true or false");
      return (values) => values.length > 0 === operand;
    case "numeric": {
      const inRange = compileNumericRange(operand, at);
      return (values) => values.some((value) => typeof value === "number" && inRange(value));
    }
    case "anything-but": {
      const excluded = compileAnythingBut(operand, at);
      // Like EventBridge, an absent field does not match anything-but: some value must be present and not excluded.
      return (values) => values.some((value) => !excluded(value));
    }
    default: {
      const test = compileStringOperator(operator, operand, at);
      return (values) => values.some((value) => typeof value === "string" && test(value));
    }
  }
}

/** `prefix`, `suffix`, `equals-ignore-case`, `wildcard`: string operators, also nested inside `anything-but`. */
function compileStringOperator(operator: string, operand: unknown, path: string): StringTest {
  switch (operator) {
    case "prefix":
    case "suffix": {
      const { text, ignoreCase } = affixOperand(operand, path);
      const fold = (value: string) => (ignoreCase ? value.toLowerCase() : value);
      const wanted = fold(text);
      return operator === "prefix"
        ? (value) => fold(value).startsWith(wanted)
        : (value) => fold(value).endsWith(wanted);
    }
    case "equals-ignore-case": {
      const wanted = requireString(operand, path).toLowerCase();
      return (value) => value.toLowerCase() === wanted;
    }
    case "wildcard": {
      const regExp = wildcardToRegExp(requireString(operand, path), path);
      return (value) => regExp.test(value);
    }
    case "cidr":
      throw new EventPatternError(path, "the cidr operator is not supported by the local EventBridge endpoint");
    default:
      throw new EventPatternError(path, `unknown operator "${operator}"`);
  }
}

/** `"x"`, or `{ "equals-ignore-case": "x" }` for a case-insensitive prefix/suffix. */
function affixOperand(operand: unknown, path: string): { text: string; ignoreCase: boolean } {
  if (typeof operand === "string") return { text: operand, ignoreCase: false };
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && "equals-ignore-case" in operand) {
    return { text: requireString(operand["equals-ignore-case"], `${path}.equals-ignore-case`), ignoreCase: true };
  }
  throw new EventPatternError(path, 'expects a string or { "equals-ignore-case": string }');
}

/** Returns the predicate for values anything-but excludes. */
function compileAnythingBut(operand: unknown, path: string): (value: Leaf) => boolean {
  if (typeof operand === "string" || typeof operand === "number") return (value) => value === operand;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === "string");
    const allNumbers = operand.every((item) => typeof item === "number");
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new EventPatternError(path, "anything-but takes a non-empty list of only strings or only numbers");
    }
    const list: readonly unknown[] = operand;
    return (value) => list.includes(value);
  }
  if (isPlainObject(operand)) {
    const [operator, ...others] = Object.keys(operand);
    if (operator === undefined || others.length > 0)
      throw new EventPatternError(path, "anything-but takes exactly one nested operator");
    const at = `${path}.${operator}`;
    if (!["prefix", "suffix", "equals-ignore-case", "wildcard"].includes(operator)) {
      throw new EventPatternError(at, `"${operator}" cannot be nested in anything-but`);
    }
    // equals-ignore-case and wildcard also accept a list here: excluded when any of them matches.
    const inner = operand[operator];
    const operands =
      Array.isArray(inner) && (operator === "equals-ignore-case" || operator === "wildcard") ? inner : [inner];
    if (operands.length === 0) throw new EventPatternError(at, "needs at least one value");
    const tests = operands.map((item) => compileStringOperator(operator, item, at));
    return (value) => typeof value === "string" && tests.some((test) => test(value));
  }
  throw new EventPatternError(path, "anything-but takes a string, a number, a list of them, or a nested operator");
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== "string") throw new EventPatternError(path, `expects a string, got ${JSON.stringify(value)}`);
  return value;
}
