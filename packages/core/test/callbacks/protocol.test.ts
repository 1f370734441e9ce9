import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as Protocol from "@awsomepets/core/callbacks/protocol";

const orderId = randomUUID();

describe("Protocol.parseClientMessage", () => {
  it("reads a sync request, defaulting the cursor to 0", () => {
    expect(Protocol.parseClientMessage(JSON.stringify({ action: "sync", orderId }))).toEqual({
      action: "sync",
      orderId,
      after: 0,
    });
    expect(Protocol.parseClientMessage(JSON.stringify({ action: "sync", orderId, after: 3 }))).toEqual({
      action: "sync",
      orderId,
      after: 3,
    });
  });

  it.each([
    ["a bare sync", { action: "sync" }, { action: "sync", after: 0 }],
    ["the seed browser's message", { orderId }, { orderId, after: 0 }],
    ["any object without an action", { hello: 1 }, { after: 0 }],
    ["a cursor without an order", { after: 4 }, { after: 4 }],
    ["unknown fields beside a sync", { action: "sync", orderId, extra: 1 }, { action: "sync", orderId, after: 0 }],
  ])("reads %s as a sync (the seed's $default contract)", (_name, message, expected) => {
    expect(Protocol.parseClientMessage(JSON.stringify(message))).toEqual(expected);
  });

  it.each([
    ["not JSON", "hello", "bad_request"],
    ["empty", "", "bad_request"],
    ["null body", null, "bad_request"],
    ["a JSON array", "[1,2]", "bad_request"],
    ["a JSON string", '"sync"', "bad_request"],
    ["another action", JSON.stringify({ action: "subscribe", orderId }), "unknown_action"],
    ["a prototype property as action", JSON.stringify({ action: "toString" }), "unknown_action"],
    ["a bad order id", JSON.stringify({ action: "sync", orderId: "42" }), "bad_request"],
    ["a negative cursor", JSON.stringify({ action: "sync", orderId, after: -1 }), "bad_request"],
    ["a fractional cursor", JSON.stringify({ action: "sync", orderId, after: 1.5 }), "bad_request"],
  ])("answers %s with an error frame", (_name, body, code) => {
    const result = Protocol.parseClientMessage(body);
    expect(result).toMatchObject({ type: "error", code });
    expect((result as Protocol.ErrorFrame).message.length).toBeGreaterThan(0);
  });

  it("never lets a __proto__ key move the cursor", () => {
    expect(Protocol.parseClientMessage(`{"action":"sync","orderId":"${orderId}","__proto__":{"after":5}}`)).toEqual({
      action: "sync",
      orderId,
      after: 0,
    });
  });
});
