/**
 * Hostile `PutEvents` requests for the local EventBridge endpoint, sent as raw AWS JSON 1.1 so that
 * wrong types reach the server (the SDK would serialize them away), each with the answer it must get.
 */
import * as OrderStatus from "@awsomepets/core/status/event";

export type Expected =
  | { request: 400 | 413; type: string }
  /** 200, with one ErrorCode (or "ok" for an EventId) per entry. */
  | { request: 200; entries: string[] };

export type HostileRequest = { name: string; body: string; expect: Expected };

export function hostileEventRequests(bus: string, orderId: string): HostileRequest[] {
  const entry = (fields: Record<string, unknown> = {}) => ({
    EventBusName: bus,
    Source: OrderStatus.EVENT_SOURCE,
    DetailType: OrderStatus.DETAIL_TYPE,
    Detail: JSON.stringify({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }),
    ...fields,
  });
  const request = (name: string, entries: unknown, expect: Expected): HostileRequest => ({
    name,
    body: JSON.stringify({ Entries: entries }),
    expect,
  });
  return [
    { name: "body not JSON", body: "{Entries:", expect: { request: 400, type: "SerializationException" } },
    { name: "body an array", body: "[]", expect: { request: 400, type: "SerializationException" } },
    request("body over 1 MB", [entry({ Detail: JSON.stringify({ pad: "x".repeat(1_100_000) }) })], {
      request: 413,
      type: "RequestEntityTooLargeException",
    }),
    request("Entries missing", undefined, { request: 400, type: "ValidationException" }),
    request("Entries not a list", { 0: entry() }, { request: 400, type: "SerializationException" }),
    request("Entries empty", [], { request: 400, type: "ValidationException" }),
    request(
      "11 entries",
      Array.from({ length: 11 }, () => entry()),
      { request: 400, type: "ValidationException" },
    ),
    request("Source a number", [entry({ Source: 42 })], { request: 400, type: "SerializationException" }),
    request("Detail an object", [entry({ Detail: { orderId } })], { request: 400, type: "SerializationException" }),
    request("entry a string", ["entry"], { request: 400, type: "SerializationException" }),
    request("Resources not strings", [entry({ Resources: [1, 2] })], { request: 400, type: "SerializationException" }),
    request("Detail over 256 KB", [entry({ Detail: JSON.stringify({ pad: "x".repeat(300 * 1024) }) })], {
      request: 400,
      type: "ValidationException",
    }),
    request(
      "Detail not JSON, array, scalar",
      [entry({ Detail: "{not json" }), entry({ Detail: "[1,2]" }), entry({ Detail: "42" }), entry({ Detail: "null" })],
      {
        request: 200,
        entries: ["MalformedDetail", "MalformedDetail", "MalformedDetail", "MalformedDetail"],
      },
    ),
    request(
      "unknown bus, missing Source, empty DetailType, bad Time",
      [
        entry({ EventBusName: "no-such-bus" }),
        entry({ Source: undefined }),
        entry({ DetailType: "" }),
        entry({ Time: "yesterday" }),
      ],
      {
        request: 200,
        entries: ["InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument"],
      },
    ),
    // Accepted by the bus (valid envelopes), dropped by the callback's schema: nothing may reach a client.
    request(
      "Details the callback must drop",
      [
        entry({
          Detail: `{"__proto__":{"polluted":true},"orderId":"${orderId}","status":"placed","occurredAt":"2026-11-26T10:00:00.000Z"}`,
        }),
        entry({ Detail: JSON.stringify({ orderId, status: "shipped", occurredAt: "2026-11-26T10:00:00.000Z" }) }),
        entry({
          Detail: JSON.stringify({ orderId: "not-a-uuid", status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" }),
        }),
        entry({ Detail: JSON.stringify({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00" }) }), // no offset
        entry({
          Detail: JSON.stringify({
            orderId,
            status: "cancelled",
            occurredAt: "2026-11-26T10:00:00.000Z",
            reason: "r".repeat(200_000),
          }),
        }),
        entry({
          Detail: JSON.stringify({
            orderId,
            status: "paid",
            occurredAt: "2026-11-26T10:00:00.000Z",
            amountPaid: "all of it",
          }),
        }),
        entry({
          Detail: JSON.stringify({
            orderId,
            status: "placed",
            occurredAt: "2026-11-26T10:00:00.000Z",
            constructor: { prototype: { polluted: true } },
          }),
        }),
      ],
      { request: 200, entries: ["ok", "ok", "ok", "ok", "ok", "ok", "ok"] },
    ),
  ];
}
