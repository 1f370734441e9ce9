/**
 * The `numeric` operator: `["=", 5]`, `["<", 10]` or a range with one lower and one upper bound,
 * `[">", 0, "<=", 5]`. Only JSON numbers in the event can match (see pattern-leaf.ts).
 */
import { EventPatternError } from "./pattern-error";

const COMPARISONS = {
  "=": (value: number, bound: number) => value === bound,
  "<": (value: number, bound: number) => value < bound,
  "<=": (value: number, bound: number) => value <= bound,
  ">": (value: number, bound: number) => value > bound,
  ">=": (value: number, bound: number) => value >= bound,
} as const;
type Comparison = keyof typeof COMPARISONS;

const isComparison = (value: unknown): value is Comparison => typeof value === "string" && value in COMPARISONS;
const isLowerBound = (op: Comparison) => op === ">" || op === ">=";
const isUpperBound = (op: Comparison) => op === "<" || op === "<=";

export function compileNumericRange(operand: unknown, path: string): (value: number) => boolean {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new EventPatternError(path, 'numeric takes [op, number] or [op, number, op, number], e.g. [">", 0, "<=", 5]');
  }
  const bounds: Array<[Comparison, number]> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (!isComparison(op)) throw new EventPatternError(path, `unknown numeric comparison ${JSON.stringify(op)}`);
    if (typeof bound !== "number" || !Number.isFinite(bound)) {
      throw new EventPatternError(path, `numeric ${op} needs a number, got ${JSON.stringify(bound)}`);
    }
    bounds.push([op, bound]);
  }
  const [first, second] = bounds;
  if (second !== undefined) {
    const ops = [first![0], second[0]];
    const isRange = ops.some(isLowerBound) && ops.some(isUpperBound);
    if (!isRange)
      throw new EventPatternError(path, "a two-part numeric range needs one lower (>, >=) and one upper (<, <=) bound");
  }
  return (value) => bounds.every(([op, bound]) => COMPARISONS[op](value, bound));
}
