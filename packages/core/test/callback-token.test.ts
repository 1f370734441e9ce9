import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CallbackToken } from "@awsomepets/core/index";

const secret = "s".repeat(40);
const orderId = randomUUID();
const now = new Date("2026-11-26T10:00:00.000Z");

describe("CallbackToken", () => {
  it("verifies a token it signed for the same order", () => {
    // Prepare
    const token = CallbackToken.sign({ orderId, secret, now, ttlSeconds: 60 });
    // Act
    const result = CallbackToken.verify({ orderId, token, secret, now });
    // Assess
    expect(result).toEqual({ ok: true, expiresAt: Math.floor(now.getTime() / 1000) + 60 });
  });

  it.each([
    ["another order's token", () => CallbackToken.sign({ orderId: randomUUID(), secret, now }), "forged"],
    ["a token signed with another secret", () => CallbackToken.sign({ orderId, secret: "x".repeat(40), now }), "forged"],
    ["a token whose expiry was edited", () => {
      const [exp, sig] = CallbackToken.sign({ orderId, secret, now }).split(".");
      return `${Number(exp) + 3600}.${sig}`;
    }, "forged"],
    ["an expired token", () => CallbackToken.sign({ orderId, secret, now: new Date(now.getTime() - 7200_000), ttlSeconds: 3600 }), "expired"],
    ["garbage", () => "not-a-token", "malformed"],
    ["an empty string", () => "", "malformed"],
    ["a truncated signature", () => CallbackToken.sign({ orderId, secret, now }).slice(0, -1), "malformed"],
  ])("refuses %s", (_name, makeToken, reason) => {
    // Act
    const result = CallbackToken.verify({ orderId, token: makeToken(), secret, now });
    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it("refuses to work with a short secret", () => {
    expect(() => CallbackToken.sign({ orderId, secret: "short" })).toThrow(/at least 32/);
  });

  it("builds the clientCallbackUrl with the order id and token in the query", () => {
    const url = new URL(CallbackToken.callbackUrl({ websocketUrl: "wss://abc.execute-api.us-east-1.amazonaws.com/dev", orderId, token: "1.x" }));
    expect(url.pathname).toBe("/dev");
    expect(url.searchParams.get("orderId")).toBe(orderId);
    expect(url.searchParams.get("token")).toBe("1.x");
  });
});
