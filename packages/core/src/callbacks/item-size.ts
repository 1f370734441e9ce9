/**
 * An item's size as DynamoDB counts it, from the item itself (as the document client holds it), and
 * what a write of it is billed ("DynamoDB item sizes and formats",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * names and values, a string its UTF-8 bytes, a binary its bytes, a boolean or null 1, a number 1
 * byte per two significant digits plus 1 (`numberSize`), a set its elements, a list or map 3 bytes
 * plus 1 per element plus its elements (docs/capacity.md, "One order's item"). A write costs 1 write unit per started
 * KB of the larger of the
 * item before and after it. packages/core/test/callbacks/item-size.test.ts checks these rules against
 * the capacity DynamoDB (Local) and dynalite answer.
 */

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * A number's bytes: its significant digits in pairs aligned on even powers of ten (450 is 4|50: two
 * pairs), plus 1, plus 1 if negative; zero is 1 byte. The documentation's "1 byte per two significant
 * digits" is this for most numbers; the alignment is what DynamoDB Local and dynalite answer.
 */
function numberSize(value: number) {
  if (value === 0) return 1;
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e");
  const digits = mantissa!.replace(".", "").replace(/0+$/, "").length;
  const highest = Number(exponent);
  const lowest = highest - digits + 1;
  return Math.floor(highest / 2) - Math.floor(lowest / 2) + 2 + (value < 0 ? 1 : 0);
}

/** The size of one value (without its name). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8(value);
  if (typeof value === "number") return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return 3 + entries.reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueSize(v), 0);
  }
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}

/** The item's size in bytes: every attribute's name and value. */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

export const WRITE_UNIT_BYTES = 1024;

/** Write units of one write of an item that is `before` (absent: a new item) and then `after`. */
export function writeUnits(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined) {
  const larger = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  return Math.max(1, Math.ceil(larger / WRITE_UNIT_BYTES));
}
