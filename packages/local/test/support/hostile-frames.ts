/**
 * Generated WebSocket frames a hostile or broken client might send on an admitted socket, each with
 * the error code the server must answer. None is a valid sync for the socket's own order (as in the
 * seed's `$default`, any JSON object without an `action`, or with extra fields, IS one: see
 * `validFrames`).
 */
import type { Prng } from "./prng";

export type HostileFrame = {
  name: string;
  data: string | Buffer;
  binary: boolean;
  expect: "bad_request" | "unknown_action" | "not_subscribed" | "any_error";
};

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

export function hostileFrames(prng: Prng, own: string, other: string): HostileFrame[] {
  const sync = (fields: Record<string, unknown>) =>
    JSON.stringify({ action: "sync", orderId: own, after: 0, ...fields });
  const text = (name: string, data: string, expect: HostileFrame["expect"]): HostileFrame => ({
    name,
    data,
    binary: false,
    expect,
  });
  const fixed: HostileFrame[] = [
    text("empty", "", "bad_request"),
    text("not JSON", "{action: sync}", "bad_request"),
    text("JSON null", "null", "bad_request"),
    text("JSON array", JSON.stringify([{ action: "sync", orderId: own }]), "bad_request"),
    text("JSON string", '"sync"', "bad_request"),
    text("unknown action", JSON.stringify({ action: "subscribe", orderId: other }), "unknown_action"),
    text("action not a string", JSON.stringify({ action: ["sync"], orderId: own }), "unknown_action"),
    text("$connect as action", JSON.stringify({ action: "$connect", orderId: own }), "unknown_action"),
    text("a prototype property as action", JSON.stringify({ action: "constructor" }), "unknown_action"),
    text("action null", JSON.stringify({ action: null, orderId: own }), "unknown_action"),
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
    text("deeply nested array", nested(5_000), "bad_request"),
    text("nested past the parser", nested(60_000), "bad_request"),
    text("huge non-JSON", "y".repeat(127 * 1024), "bad_request"),
    text("other order", JSON.stringify({ action: "sync", orderId: other, after: 0 }), "not_subscribed"),
    text(
      "other order, upper case",
      JSON.stringify({ action: "sync", orderId: other.toUpperCase(), after: 0 }),
      "not_subscribed",
    ),
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
    const key = prng.pick(["after", "orderId", "action"]);
    const value = prng.pick(junk);
    const fields: Record<string, unknown> = { action: "sync", orderId: own, after: 0 };
    if (key === "action") fields.action = prng.pick([value, "sync ", "SYNC"]);
    const body = JSON.stringify({ ...fields, ...(key === "action" ? {} : { [key]: value }) });
    random.push(text(`mutated ${key} #${i}`, body, "any_error"));
  }
  return [...fixed, ...random];
}

/**
 * Frames that look odd but are syncs of the socket's own order, answered with its statuses and
 * `synced` (the seed's `$default` answers any message).
 */
export function validFrames(own: string): Array<{ name: string; data: string }> {
  return [
    { name: "the seed browser's message", data: JSON.stringify({ orderId: own }) },
    { name: "a bare sync", data: JSON.stringify({ action: "sync" }) },
    { name: "an extra field", data: JSON.stringify({ action: "sync", orderId: own, after: 0, admin: true }) },
    {
      name: "a __proto__ key",
      data: `{"action":"sync","orderId":"${own}","after":0,"__proto__":{"after":5,"admin":true}}`,
    },
    { name: "a __proto__ carrying the action", data: `{"__proto__":{"action":"sync","orderId":"${own}"}}` },
    { name: "a deeply nested object", data: nestedObject(5_000) },
    { name: "huge but allowed", data: JSON.stringify({ action: "sync", orderId: own, pad: "x".repeat(120 * 1024) }) },
  ];
}
