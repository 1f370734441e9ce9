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

  describe("accepts exactly one spelling of a token", () => {
    const token = CallbackToken.sign({ orderId, secret, now, ttlSeconds: 60 });
    const [expiry, signature] = token.split(".") as [string, string];
    const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    it("writes canonical tokens: a plain decimal expiry, and a signature that re-encodes to itself", () => {
      expect(expiry).toMatch(/^[1-9]\d*$/);
      expect(Buffer.from(signature, "base64url").toString("base64url")).toBe(signature);
      expect(BASE64URL.indexOf(signature.at(-1)!) % 4).toBe(0); // the 2 unused low bits are zero
    });

    it.each(["0", "00", "000000"])("refuses the expiry with leading zeros %s (same number, another spelling)", (zeros) => {
      expect(CallbackToken.verify({ orderId, token: `${zeros}${expiry}.${signature}`, secret, now })).toEqual({ ok: false, reason: "malformed" });
    });

    it("refuses each of the 3 other last characters that decode to the same signature bytes", () => {
      // Prepare: same 6 high bits of the last character, other values of its 2 unused low bits
      const last = BASE64URL.indexOf(signature.at(-1)!);
      const variants = [1, 2, 3].map((low) => `${signature.slice(0, -1)}${BASE64URL[last + low]}`);
      // Assess: they really decode to the same bytes, and none is accepted
      for (const variant of variants) {
        expect(Buffer.from(variant, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
        expect(CallbackToken.verify({ orderId, token: `${expiry}.${variant}`, secret, now })).toEqual({ ok: false, reason: "malformed" });
      }
      expect(CallbackToken.verify({ orderId, token, secret, now }).ok).toBe(true);
    });

    it.each([
      ["padding", `${expiry}.${signature}=`],
      ["standard base64 characters", `${expiry}.${signature.replace(/-/g, "+").replace(/_/g, "/")}${/[-_]/.test(signature) ? "" : "+"}`],
      ["a sign", `+${expiry}.${signature}`],
      ["white space", ` ${token}`],
    ])("refuses %s", (_name, variant) => {
      expect(CallbackToken.verify({ orderId, token: variant, secret, now })).toEqual({ ok: false, reason: "malformed" });
    });
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
