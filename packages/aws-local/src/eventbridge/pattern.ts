/**
 * EventBridge event-pattern matching, hand-written because no npm package implements the current
 * operator set (checked before writing this): exact values (string, number, boolean, null), prefix,
 * suffix, equals-ignore-case, wildcard, anything-but (value, list, prefix, suffix, equals-ignore-case,
 * wildcard), numeric, exists and $or. `cidr` is recognised but rejected as unsupported.
 *
 * Semantics follow the Amazon EventBridge user guide: every field named in the pattern must match
 * (AND); a field matches when any element of its pattern array matches (OR); arrays in the event are
 * flattened, so a field matches when any of its elements does; `$or` lists alternative sub-patterns at
 * the level where it appears.
 */
import { EventPatternError } from "./pattern-error";
import { compileLeafCondition, isLeaf, isPlainObject, type Leaf } from "./pattern-leaf";

export { EventPatternError } from "./pattern-error";

/** A compiled pattern: tells whether an event matches. */
export type EventMatcher = (event: unknown) => boolean;

/** The event values reached at one pattern level (several when event arrays were flattened). */
type NodeMatcher = (nodes: readonly unknown[]) => boolean;

/** Validates and compiles a pattern once, for matching many events. Throws EventPatternError. */
export function compilePattern(pattern: unknown): EventMatcher {
  const matchNodes = compileObject(pattern, "");
  return (event) => matchNodes([event]);
}

/** Throws an EventPatternError naming the offending path when the pattern is malformed. */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}

/** Whether the event matches the pattern. Throws EventPatternError for a malformed pattern. */
export function matches(pattern: object, event: object): boolean {
  return compilePattern(pattern)(event);
}

function compileObject(pattern: unknown, path: string): NodeMatcher {
  if (!isPlainObject(pattern)) throw new EventPatternError(path, "a pattern must be a JSON object");
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new EventPatternError(path, "a pattern object must name at least one field");

  const fieldMatchers = keys.map((key): NodeMatcher => {
    const fieldPath = path ? `${path}.${key}` : key;
    const value = pattern[key];
    if (key === "$or") return compileOr(value, fieldPath, path);
    if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError(fieldPath, "a pattern array must not be empty");
      const conditions = value.map((element, i) => compileLeafCondition(element, `${fieldPath}[${i}]`));
      return (nodes) => {
        const leaves = childValues(nodes, key).filter(isLeaf) as Leaf[];
        return conditions.some((condition) => condition(leaves));
      };
    }
    if (isPlainObject(value)) {
      const matchChildren = compileObject(value, fieldPath);
      return (nodes) => matchChildren(childValues(nodes, key).filter(isPlainObject));
    }
    throw new EventPatternError(
      fieldPath,
      `expected an array of values/operators or a nested object, got ${JSON.stringify(value)}`,
    );
  });
  return (nodes) => fieldMatchers.every((matchField) => matchField(nodes));
}

/** `"$or": [ {...}, {...} ]`: alternative sub-patterns evaluated at the level where `$or` appears. */
function compileOr(value: unknown, orPath: string, levelPath: string): NodeMatcher {
  if (!Array.isArray(value) || value.length === 0) {
    throw new EventPatternError(orPath, "$or takes a non-empty array of pattern objects");
  }
  const alternatives = value.map((alternative, i) => {
    if (!isPlainObject(alternative))
      throw new EventPatternError(`${orPath}[${i}]`, "each $or alternative must be a pattern object");
    return compileObject(alternative, levelPath);
  });
  return (nodes) => alternatives.some((matchAlternative) => matchAlternative(nodes));
}

/** The values of `key` in every object node, with event arrays flattened (absent keys contribute nothing). */
function childValues(nodes: readonly unknown[], key: string): unknown[] {
  return nodes.flatMap((node) => (isPlainObject(node) && Object.hasOwn(node, key) ? flatten(node[key]) : []));
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}
