/** The client reads a link's expiry from both token shapes the server accepts (docs/protocol.md). */
import { expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { linkExpiresAt } from "../src/order-client";

const orderId = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const now = new Date("2026-11-26T10:00:00.000Z");
const link = (token: string) => CallbackToken.callbackUrl({ websocketUrl: "wss://h.example/prod", orderId, token });

it("reads a v2 token's expiry from its third part, as the server signed it", () => {
  const token = CallbackToken.sign({ orderId, stage: "prod", secret: "s".repeat(40), now, ttlSeconds: 3600 });
  expect(linkExpiresAt(link(token))).toEqual(new Date(now.getTime() + 3600_000));
});

it("reads a legacy token's expiry from its first part", () => {
  expect(linkExpiresAt(link(`1764151200.${"A".repeat(43)}`))).toEqual(new Date(1_764_151_200_000));
});

it.each([
  ["another version", `v3.AbCd_-12.1764151200.${"A".repeat(43)}`],
  ["no token", ""],
  ["junk", "opaque"],
])("reads no expiry from %s", (_name, token) => {
  expect(linkExpiresAt(link(token))).toBeUndefined();
});
