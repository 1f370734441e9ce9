import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";

const secret = "s".repeat(40);
const keys = { current: secret };
const stage = "prod";
const orderId = randomUUID();
const now = new Date("2026-11-26T10:00:00.000Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const DAY = CallbackToken.DEFAULT_TTL_SECONDS;

const sign = (overrides: Partial<Parameters<typeof CallbackToken.sign>[0]> = {}) =>
  CallbackToken.sign({ orderId, stage, secret, now, ...overrides });
const verify = (token: string, overrides: Partial<Parameters<typeof CallbackToken.verify>[0]> = {}) =>
  CallbackToken.verify({ orderId, stage, token, keys, now, ...overrides });

/** A v2 token minted by hand, as a third party would from docs/protocol.md — with any expiry. */
function mint(input: { secret: string; stage: string; orderId: string; expiresAt: number }) {
  const hmac = (data: string) => createHmac("sha256", input.secret).update(data).digest("base64url");
  const keyId = hmac("callback-token-key-id").slice(0, 8);
  return `v2.${keyId}.${input.expiresAt}.${hmac(`v2\norder-callback\n${input.stage}\n${input.orderId}\n${input.expiresAt}`)}`;
}
/** A token of the shape issued before v2: `<expiresAt>.<HMAC("<orderId>.<expiresAt>")>`. */
const legacy = (s: string, expiresAt: number, id = orderId) =>
  `${expiresAt}.${createHmac("sha256", s).update(`${id}.${expiresAt}`).digest("base64url")}`;

describe("CallbackToken", () => {
  it("verifies a token it signed for the same order and stage", () => {
    // Prepare
    const token = sign({ ttlSeconds: 60 });
    // Act
    const result = verify(token);
    // Assess
    expect(result).toEqual({ ok: true, expiresAt: nowSeconds + 60 });
  });

  it("writes v2.<keyId>.<expiresAt>.<signature>, exactly as docs/protocol.md tells a third party to mint it", () => {
    const token = sign();
    expect(token).toMatch(/^v2\.[A-Za-z0-9_-]{8}\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(token).toBe(mint({ secret, stage, orderId, expiresAt: nowSeconds + DAY }));
    expect(CallbackToken.keyIdOfToken(token)).toBe(CallbackToken.keyIdOf(secret));
    // The contracts' pattern (AsyncAPI) admits it and the legacy shape, and nothing verify calls malformed.
    const pattern = new RegExp(CallbackToken.TOKEN_PATTERN);
    expect(
      [token, legacy(secret, nowSeconds + 60), "abc", `v2.${token}`, `${token}=`].map((t) => pattern.test(t)),
    ).toEqual([true, true, false, false, false]);
  });

  it("signs docs/protocol.md's worked example to the very token printed there", () => {
    // Prepare: the example's inputs and outputs, as printed in the doc's table
    const doc = readFileSync(new URL("../../../../docs/protocol.md", import.meta.url), "utf8");
    const row = (name: string) => new RegExp(`^\\| ${name} \\| \`([^\`]+)\``, "m").exec(doc)?.[1];
    const example = {
      secret: row("secret")!,
      stage: row("stage")!,
      orderId: row("orderId")!,
      now: new Date("2026-11-26T10:00:00Z"),
    };
    // Act
    const token = CallbackToken.sign(example);
    // Assess
    expect(token).toBe(row("token"));
    expect(CallbackToken.keyIdOf(example.secret)).toBe(row("keyId"));
    expect(JSON.stringify(CallbackToken.signedInput({ ...example, expiresAt: Number(row("expiresAt")) }))).toBe(
      `"${row("signed input")}"`,
    );
    expect(CallbackToken.verify({ ...example, token, keys: { current: example.secret } })).toEqual({
      ok: true,
      expiresAt: Number(row("expiresAt")),
    });
  });

  it.each([
    ["another order's token", () => sign({ orderId: randomUUID() }), "forged"],
    ["another stage's token (same secret)", () => sign({ stage: "dev" }), "forged"],
    [
      "a token whose key id was swapped for another secret's",
      () => sign().replace(/^v2\.[^.]+/, `v2.${CallbackToken.keyIdOf("x".repeat(40))}`),
      "unknown_key",
    ],
    ["a token signed with another secret", () => sign({ secret: "x".repeat(40) }), "unknown_key"],
    [
      "a token whose expiry was edited",
      () => {
        const [v, keyId, exp, sig] = sign().split(".");
        return `${v}.${keyId}.${Number(exp) - 3600}.${sig}`;
      },
      "forged",
    ],
    [
      "a token signed for a year by whoever holds the secret",
      () => mint({ secret, stage, orderId, expiresAt: nowSeconds + 365 * DAY }),
      "overlong",
    ],
    [
      "a token expiring just past 24 h and the clock skew",
      () => mint({ secret, stage, orderId, expiresAt: nowSeconds + DAY + CallbackToken.MAX_CLOCK_SKEW_SECONDS + 1 }),
      "overlong",
    ],
    ["an expired token", () => sign({ now: new Date(now.getTime() - 7200_000), ttlSeconds: 3600 }), "expired"],
    ["a token of another version", () => sign().replace(/^v2/, "v3"), "malformed"],
    ["garbage", () => "not-a-token", "malformed"],
    ["an empty string", () => "", "malformed"],
    ["a truncated signature", () => sign().slice(0, -1), "malformed"],
  ])("refuses %s", (_name, makeToken, reason) => {
    // Act
    const result = verify(makeToken());
    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  it("accepts a token expiring at 24 h plus the clock skew (a signer's clock a little ahead)", () => {
    const expiresAt = nowSeconds + DAY + CallbackToken.MAX_CLOCK_SKEW_SECONDS;
    expect(verify(mint({ secret, stage, orderId, expiresAt }))).toEqual({ ok: true, expiresAt });
  });

  it("refuses to sign for longer than 24 h, for a stage that is no stage name, or an order id with a newline", () => {
    expect(() => sign({ ttlSeconds: DAY + 1 })).toThrow(/at most 86400 seconds/);
    expect(() => sign({ stage: "pr\nod" })).toThrow(/not a stage name/);
    expect(() => sign({ stage: "" })).toThrow(/not a stage name/);
    expect(() => sign({ orderId: `${orderId}\nprod` })).toThrow(/newline/);
  });

  describe("rotation: the previous secret still verifies, the current one signs", () => {
    const old = "o".repeat(40);
    const fresh = "f".repeat(40);
    const rotated = { current: fresh, previous: old };

    it("keeps a live link signed with the old secret working after the rotation", () => {
      // Prepare: signed before the rotation, when `old` was the current secret
      const token = sign({ secret: old, now: new Date(now.getTime() - 3600_000) });
      // Act
      const result = verify(token, { keys: rotated });
      // Assess
      expect(result).toEqual({ ok: true, expiresAt: nowSeconds - 3600 + DAY });
    });

    it("verifies what the new current secret signs, and refuses the old one's links once previous is unset", () => {
      expect(verify(sign({ secret: fresh }), { keys: rotated }).ok).toBe(true);
      expect(verify(sign({ secret: old }), { keys: { current: fresh } })).toEqual({ ok: false, reason: "unknown_key" });
    });
  });

  describe("tokens of the shape issued before v2 (<expiresAt>.<signature>), until they expire", () => {
    it("accepts one signed with the current or the previous secret", () => {
      const expiresAt = nowSeconds + 3600;
      expect(verify(legacy(secret, expiresAt))).toEqual({ ok: true, expiresAt });
      expect(verify(legacy(secret, expiresAt), { keys: { current: "f".repeat(40), previous: secret } })).toEqual({
        ok: true,
        expiresAt,
      });
    });

    it.each([
      ["expired", () => legacy(secret, nowSeconds - 1), "expired"],
      ["with a year-long expiry", () => legacy(secret, nowSeconds + 365 * DAY), "overlong"],
      ["of another order", () => legacy(secret, nowSeconds + 3600, randomUUID()), "forged"],
      ["of another secret", () => legacy("x".repeat(40), nowSeconds + 3600), "forged"],
    ])("refuses one %s", (_name, makeToken, reason) => {
      expect(verify(makeToken())).toEqual({ ok: false, reason });
    });

    it("refuses every one from LEGACY_ACCEPTED_UNTIL on, however it was signed (it names no stage)", () => {
      const cutoff = new Date(CallbackToken.LEGACY_ACCEPTED_UNTIL * 1000);
      const justBefore = new Date(cutoff.getTime() - 1000);
      const expiresAt = CallbackToken.LEGACY_ACCEPTED_UNTIL + 3600;
      expect(verify(legacy(secret, expiresAt), { now: justBefore })).toEqual({ ok: true, expiresAt });
      expect(verify(legacy(secret, expiresAt), { now: cutoff })).toEqual({ ok: false, reason: "expired" });
    });
  });

  describe("accepts exactly one spelling of a token", () => {
    const token = sign({ ttlSeconds: 60 });
    const [version, keyId, expiry, signature] = token.split(".") as [string, string, string, string];
    const head = `${version}.${keyId}`;
    const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    it("writes canonical tokens: a plain decimal expiry, and a signature that re-encodes to itself", () => {
      expect(expiry).toMatch(/^[1-9]\d*$/);
      expect(Buffer.from(signature, "base64url").toString("base64url")).toBe(signature);
      expect(BASE64URL.indexOf(signature.at(-1)!) % 4).toBe(0); // the 2 unused low bits are zero
    });

    it.each(["0", "00", "000000"])(
      "refuses the expiry with leading zeros %s (same number, another spelling)",
      (zeros) => {
        expect(verify(`${head}.${zeros}${expiry}.${signature}`)).toEqual({ ok: false, reason: "malformed" });
      },
    );

    it("refuses each of the 3 other last characters that decode to the same signature bytes", () => {
      // Prepare: same 6 high bits of the last character, other values of its 2 unused low bits
      const last = BASE64URL.indexOf(signature.at(-1)!);
      const variants = [1, 2, 3].map((low) => `${signature.slice(0, -1)}${BASE64URL[last + low]}`);
      // Assess: they really decode to the same bytes, and none is accepted
      for (const variant of variants) {
        expect(Buffer.from(variant, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
        expect(verify(`${head}.${expiry}.${variant}`)).toEqual({ ok: false, reason: "malformed" });
        expect(verify(`${expiry}.${variant}`)).toEqual({ ok: false, reason: "malformed" });
      }
      expect(verify(token).ok).toBe(true);
    });

    it.each([
      ["padding", `${token}=`],
      [
        "standard base64 characters",
        `${head}.${expiry}.${signature.replace(/-/g, "+").replace(/_/g, "/")}${/[-_]/.test(signature) ? "" : "+"}`,
      ],
      ["a sign", `${head}.+${expiry}.${signature}`],
      ["white space", ` ${token}`],
      ["an upper-case version", token.replace(/^v2/, "V2")],
    ])("refuses %s", (_name, variant) => {
      expect(verify(variant)).toEqual({ ok: false, reason: "malformed" });
    });
  });

  it("refuses to work with a short secret, current or previous", () => {
    expect(() => sign({ secret: "short" })).toThrow(/at least 32/);
    expect(() => verify(sign(), { keys: { current: secret, previous: "short" } })).toThrow(/at least 32/);
  });

  it("builds the clientCallbackUrl with the order id and token in the query", () => {
    const url = new URL(
      CallbackToken.callbackUrl({
        websocketUrl: "wss://abc.execute-api.us-east-1.amazonaws.com/dev",
        orderId,
        token: "1.x",
      }),
    );
    expect(url.pathname).toBe("/dev");
    expect(url.searchParams.get("orderId")).toBe(orderId);
    expect(url.searchParams.get("token")).toBe("1.x");
  });
});
