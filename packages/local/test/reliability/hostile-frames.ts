/**
 * Generated WebSocket frames a hostile or broken client might send on an admitted socket, each with
 * the error code the server must answer. None is a valid sync for the socket's own order.
 */
import type { Prng } from "./prng";

export type HostileFrame = { name: string; data: string | Buffer; binary: boolean; expect: "bad_request" | "unknown_action" | "not_subscribed" | "any_error" };

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

export function hostileFrames(prng: Prng, own: string, other: string): HostileFrame[] {
  const sync = (fields: Record<string, unknown>) => JSON.stringify({ action: "sync", orderId: own, after: 0, ...fields });
  const text = (name: string, data: string, expect: HostileFrame["expect"]): HostileFrame => ({ name, data, binary: false, expect });
  const fixed: HostileFrame[] = [
    text("empty", "", "bad_request"),
    text("not JSON", "{action: sync}", "bad_request"),
    text("JSON null", "null", "bad_request"),
    text("JSON array", JSON.stringify([{ action: "sync", orderId: own }]), "bad_request"),
    text("JSON string", '"sync"', "bad_request"),
    text("no action", JSON.stringify({ orderId: own }), "unknown_action"),
    text("unknown action", JSON.stringify({ action: "subscribe", orderId: other }), "unknown_action"),
    text("action not a string", JSON.stringify({ action: ["sync"], orderId: own }), "unknown_action"),
    text("$connect as action", JSON.stringify({ action: "$connect", orderId: own }), "unknown_action"),
    text("after as string", sync({ after: "1" }), "bad_request"),
    text("after negative", sync({ after: -1 }), "bad_request"),
    text("after fraction", sync({ after: 1.5 }), "bad_request"),
    text("after huge", sync({ after: 1e300 }), "bad_request"),
    text("after null", sync({ after: null }), "bad_request"),
    text("after object", sync({ after: { $gt: 0 } }), "bad_request"),
    text("orderId number", sync({ orderId: 123 }), "bad_request"),
    text("orderId not a UUID", sync({ orderId: "../../etc/passwd" }), "bad_request"),
    text("orderId null", sync({ orderId: null }), "bad_request"),
    text("orderId array", sync({ orderId: [own, other] }), "bad_request"),
    text("extra field", sync({ admin: true }), "bad_request"),
    text("__proto__ key", `{"action":"sync","orderId":"${own}","after":0,"__proto__":{"after":5,"admin":true}}`, "bad_request"),
    text("__proto__ carries the action", `{"__proto__":{"action":"sync","orderId":"${own}"}}`, "unknown_action"),
    text("constructor.prototype", sync({ constructor: { prototype: { polluted: true } } }), "bad_request"),
    text("deeply nested array", nested(5_000), "bad_request"),
    text("deeply nested object", nestedObject(5_000), "unknown_action"),
    text("nested past the parser", nested(60_000), "bad_request"),
    text("huge but allowed", sync({ pad: "x".repeat(120 * 1024) }), "bad_request"),
    text("huge non-JSON", "y".repeat(127 * 1024), "bad_request"),
    text("other order", JSON.stringify({ action: "sync", orderId: other, after: 0 }), "not_subscribed"),
    text("other order, upper case", JSON.stringify({ action: "sync", orderId: other.toUpperCase(), after: 0 }), "not_subscribed"),
    { name: "binary sync", data: Buffer.from(sync({})), binary: true, expect: "bad_request" },
  ];
  // Random bytes and random mutations of a valid sync, from the seed.
  const random: HostileFrame[] = [];
  for (let i = 0; i < 15; i++) {
    const bytes = Buffer.from(Array.from({ length: prng.int(1, 2048) }, () => prng.int(0, 255)));
    random.push({ name: `random binary #${i}`, data: bytes, binary: true, expect: "any_error" });
  }
  const junk = [null, true, -7, 3.14, "", "x".repeat(300), [], {}, { nested: [1, { deeper: null }] }];
  for (let i = 0; i < 25; i++) {
    const key = prng.pick(["after", "orderId", "action", "__proto__", "toString", "constructor", "extra"]);
    const value = prng.pick(junk);
    const fields: Record<string, unknown> = { action: "sync", orderId: own, after: 0 };
    if (key === "action") fields.action = prng.pick([value, "sync ", "SYNC"]);
    const body = JSON.stringify({ ...fields, ...(key === "action" ? {} : { [key]: key === "orderId" || key === "after" ? value : value ?? 0 }) });
    // JSON.stringify drops a `__proto__` given through a literal, so it is spliced in by hand.
    const data = key === "__proto__" ? body.replace(/}$/, `,"__proto__":${JSON.stringify(value)}}`) : body;
    random.push(text(`mutated ${key} #${i}`, data, "any_error"));
  }
  return [...fixed, ...random];
}
