import { expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { readCallbackUrlOptions } from "../../src/cli/callback-url-options";
import { UsageError } from "../../src/cli/cli-errors";
import { localCallbackUrl } from "../../src/cli/local-callback-url";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const SECRET = "callback-url-test-secret-0123456789abcdef";
const NOW = new Date("2026-11-26T10:00:00.000Z");

it("builds the local WebSocket URL with the order id and a token that verifies for that order", () => {
  // Act
  const url = new URL(
    localCallbackUrl({
      state: { endpoints: { websocket: "ws://127.0.0.1:3001/local" } as never, tokenSecret: SECRET, stage: "local" },
      orderId: ORDER,
      ttlSeconds: 60,
      now: NOW,
    }),
  );
  // Assess
  expect(`${url.protocol}//${url.host}${url.pathname}`).toBe("ws://127.0.0.1:3001/local");
  expect(url.searchParams.get("orderId")).toBe(ORDER);
  const token = url.searchParams.get("token")!;
  expect(CallbackToken.verify({ orderId: ORDER, stage: "local", token, keys: { current: SECRET }, now: NOW })).toEqual({
    ok: true,
    expiresAt: NOW.getTime() / 1000 + 60,
  });
  expect(
    CallbackToken.verify({
      orderId: ORDER,
      stage: "local",
      token,
      keys: { current: SECRET },
      now: new Date(NOW.getTime() + 61_000),
    }),
  ).toEqual({ ok: false, reason: "expired" });
});

it("reads --order-id and --ttl-seconds", () => {
  expect(readCallbackUrlOptions(["--order-id", ORDER])).toEqual({ orderId: ORDER });
  expect(readCallbackUrlOptions(["--order-id", ORDER, "--ttl-seconds", "90"])).toEqual({
    orderId: ORDER,
    ttlSeconds: 90,
  });
});

it.each([
  [[], /--order-id is required/],
  [["--order-id", "42"], /--order-id must be a UUID/],
  [["--order-id", ORDER, "--ttl-seconds", "1.5"], /--ttl-seconds must be a whole number/],
  [["--order-id", ORDER, "--ttl-seconds", "0"], /--ttl-seconds must be a whole number/],
  // The functions would refuse a longer one as overlong.
  [["--order-id", ORDER, "--ttl-seconds", "86401"], /--ttl-seconds must be a whole number from 1 to 86400/],
  [["--order", ORDER], /Unknown option/],
])("rejects %j", (argv, message) => {
  expect(() => readCallbackUrlOptions(argv)).toThrow(UsageError);
  expect(() => readCallbackUrlOptions(argv)).toThrow(message);
});
