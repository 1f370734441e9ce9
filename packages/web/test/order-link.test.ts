/**
 * The page trusts only its shop: an order link is followed only to the stage's own WebSocket URL
 * (known at build), and what the page keeps in storage is only what it needs.
 */
import { describe, expect, it } from "vitest";
import { websocketBase } from "../src/config";
import { callbackUrlFor, orderLink, orderOnStage, parseOrderLink, stageCallback } from "../src/order-link";
import { createOrderStorage, SESSION_STORAGE_KEY, STORAGE_KEY, type WatchedOrder } from "../src/storage";

const STAGE = "wss://abc123.execute-api.eu-west-1.amazonaws.com/prod";
const base = websocketBase(STAGE)!;
const ORDER_ID = "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f";
const TOKEN = "1700000000.abc_-DEF";
const own = `${STAGE}?orderId=${ORDER_ID}&token=${TOKEN}`;
const fragmentOf = (callback: string) => `#order=${encodeURIComponent(callback)}`;

describe("websocketBase", () => {
  it.each([
    [STAGE, STAGE],
    [`${STAGE}/`, STAGE],
    ["ws://127.0.0.1:3001/local", "ws://127.0.0.1:3001/local"],
  ])("reads %j as the stage's URL", (configured, expected) => expect(websocketBase(configured)?.href).toBe(expected));
  it.each([["{{ WEBSOCKET_URL }}"], [""], ["https://abc.example/prod"], [`${STAGE}?x=1`], ["not a url"]])(
    "has none for %j: no link is followed",
    (configured) => expect(websocketBase(configured)).toBeUndefined(),
  );
});

describe("order links", () => {
  it("are made of the order id and token only, and read back to the stage's callback URL", () => {
    const link = orderLink("https://shop.example/track/?x=1#old", { orderId: ORDER_ID, token: TOKEN });
    expect(link).toBe(`https://shop.example/track/?x=1#order=${ORDER_ID}&token=${TOKEN}`);
    expect(parseOrderLink(new URL(link).hash, base)).toEqual({
      kind: "order",
      order: { orderId: ORDER_ID, clientCallbackUrl: own },
    });
  });

  it("keep a token with characters that need escaping whole", () => {
    const token = "1700000000.a+b/c=d&e";
    const link = orderLink("https://shop.example/", { orderId: ORDER_ID, token });
    const parsed = parseOrderLink(new URL(link).hash, base);
    expect(parsed?.kind === "order" && new URL(parsed.order.clientCallbackUrl).searchParams.get("token")).toBe(token);
  });

  it("of the older form are followed when they name the stage's own WebSocket URL", () => {
    expect(parseOrderLink(fragmentOf(own), base)).toEqual({
      kind: "order",
      order: { orderId: ORDER_ID, clientCallbackUrl: own },
    });
    // A trailing slash on the path is the same stage (API Gateway serves both).
    expect(parseOrderLink(fragmentOf(`${STAGE}/?orderId=${ORDER_ID}&token=${TOKEN}`), base)).toEqual({
      kind: "order",
      order: { orderId: ORDER_ID, clientCallbackUrl: own },
    });
  });

  it.each([
    [fragmentOf(`wss://evil.example/prod?orderId=${ORDER_ID}&token=${TOKEN}`), "another host"],
    [
      fragmentOf(
        `wss://abc123.execute-api.eu-west-1.amazonaws.com.evil.example/prod?orderId=${ORDER_ID}&token=${TOKEN}`,
      ),
      "a host that starts like the stage's",
    ],
    [
      fragmentOf(`wss://abc123.execute-api.eu-west-1.amazonaws.com:8443/prod?orderId=${ORDER_ID}&token=${TOKEN}`),
      "another port",
    ],
    [
      fragmentOf(`wss://abc123.execute-api.eu-west-1.amazonaws.com/dev?orderId=${ORDER_ID}&token=${TOKEN}`),
      "another stage's path",
    ],
    [
      fragmentOf(`wss://abc123.execute-api.eu-west-1.amazonaws.com/prod/x?orderId=${ORDER_ID}&token=${TOKEN}`),
      "a longer path",
    ],
    [
      fragmentOf(`ws://abc123.execute-api.eu-west-1.amazonaws.com/prod?orderId=${ORDER_ID}&token=${TOKEN}`),
      "ws: for the stage's wss:",
    ],
    [
      fragmentOf(`https://abc123.execute-api.eu-west-1.amazonaws.com/prod?orderId=${ORDER_ID}&token=${TOKEN}`),
      "https: for wss:",
    ],
    [fragmentOf(`${own}&next=https://evil.example`), "an extra parameter"],
    [fragmentOf(`${own}&token=other`), "a second token"],
    [fragmentOf(`${own}#frag`), "a fragment"],
    [
      fragmentOf(`wss://user:pw@abc123.execute-api.eu-west-1.amazonaws.com/prod?orderId=${ORDER_ID}&token=${TOKEN}`),
      "a user name",
    ],
    [fragmentOf(`${STAGE}?orderId=${ORDER_ID}`), "no token"],
    [fragmentOf(`${STAGE}?orderId=not-a-uuid&token=${TOKEN}`), "an order id that is not a UUID"],
    [`#order=${ORDER_ID}`, "the short form without a token"],
    [`#order=${ORDER_ID}&token=`, "an empty token"],
    [`#order=${ORDER_ID}&token=a%20b`, "a token with a space"],
    [`#order=${ORDER_ID}&token=${TOKEN}&token=x`, "two tokens"],
    [`#order=${ORDER_ID}&order=${ORDER_ID}&token=${TOKEN}`, "two orders"],
    ["#order=", "an empty value"],
    ["#order=%E0%A4%A", "broken escapes"],
  ])("are refused for %j (%s)", (hash) => expect(parseOrderLink(hash, base)).toEqual({ kind: "refused" }));

  it("are all refused by a page built without a WebSocket URL (no safe guess)", () => {
    expect(parseOrderLink(`#order=${ORDER_ID}&token=${TOKEN}`, undefined)).toEqual({ kind: "refused" });
    expect(parseOrderLink(fragmentOf(own), undefined)).toEqual({ kind: "refused" });
  });

  it("are no concern of a fragment that is not one", () => {
    expect(parseOrderLink("", base)).toBeUndefined();
    expect(parseOrderLink("#orders-heading", base)).toBeUndefined();
  });

  it("build the callback URL the way core's CallbackToken.callbackUrl does", async () => {
    const CallbackToken = await import("@awsomepets/core/callbacks/token");
    const { callbackUrl } = CallbackToken;
    for (const websocketUrl of [STAGE, "ws://127.0.0.1:3001/local"]) {
      expect(callbackUrlFor(websocketBase(websocketUrl)!, ORDER_ID, "1.a+b")).toBe(
        callbackUrl({ websocketUrl, orderId: ORDER_ID, token: "1.a+b" }),
      );
    }
    expect(stageCallback(own, base)).toEqual({ orderId: ORDER_ID, token: TOKEN });
  });
});

describe("order storage keeps what the page needs only", () => {
  const memory = (initial: Record<string, string> = {}) => {
    const items = new Map(Object.entries(initial));
    return {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      items,
    };
  };
  const address = { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" };
  const order = (orderId: string, clientCallbackUrl: string): WatchedOrder => ({
    orderId,
    clientCallbackUrl,
    addedAt: new Date().toISOString(),
    statuses: [],
    fromApi: [],
    summary: {
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      amount: 450,
      shippingAddress: address,
      placedAt: new Date().toISOString(),
    },
  });
  const onStage = (o: WatchedOrder) => orderOnStage(o, base);
  const foreignId = "5d1e2b9a-0c3f-4e6d-8a7b-9c0d1e2f3a4b";
  const foreign = `wss://evil.example/prod?orderId=${foreignId}&token=${TOKEN}`;

  it("stores the shipping country, never the rest of the address", () => {
    const local = memory();
    createOrderStorage(local, { onStage }).save(order(ORDER_ID, own));
    const raw = local.items.get(STORAGE_KEY)!;
    expect(raw).not.toMatch(/Ana Silva|Rua Augusta|Lisboa|1100-048|shippingAddress/);
    expect(JSON.parse(raw)[0].summary).toEqual({
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      amount: 450,
      country: "PT",
      placedAt: expect.any(String),
    });
  });

  it("rebuilds, on load, an order stored with another server's URL on the stage's, without that server's statuses or the address", () => {
    // Prepare: what the page before this one stored (address and all), with an order of another server
    // that had sent it a status, and an order whose URL names no token (nothing to follow)
    const fromElsewhere = {
      ...order(foreignId, foreign),
      statuses: [{ type: "status", seq: 1, status: "refunded" }],
    } as unknown as WatchedOrder;
    const tokenless = order(
      "0b0f6d1e-3c8a-4c1e-9f1a-2b3c4d5e6f70",
      "wss://evil.example/prod?orderId=0b0f6d1e-3c8a-4c1e-9f1a-2b3c4d5e6f70",
    );
    const local = memory({ [STORAGE_KEY]: JSON.stringify([order(ORDER_ID, own), fromElsewhere, tokenless]) });
    // Act
    const store = createOrderStorage(local, { onStage });
    // Assess: the other server is gone from storage itself, not only from what the page reads
    expect(store.all().map((o) => [o.orderId, o.clientCallbackUrl, o.statuses.length])).toEqual([
      [ORDER_ID, own, 0],
      [foreignId, callbackUrlFor(base, foreignId, TOKEN), 0],
    ]);
    const raw = local.items.get(STORAGE_KEY)!;
    expect(raw).not.toContain("evil.example");
    expect(raw).not.toContain("refunded");
    expect(raw).not.toContain("Rua Augusta");
  });

  it("moves a tab's sessionStorage orders over only on the stage's URL", () => {
    const session = memory({ [SESSION_STORAGE_KEY]: JSON.stringify([order(foreignId, foreign)]) });
    const local = memory();
    const moved = createOrderStorage(local, { session, onStage }).all();
    expect(moved.map((o) => o.clientCallbackUrl)).toEqual([callbackUrlFor(base, foreignId, TOKEN)]);
    expect(local.items.get(STORAGE_KEY) ?? "").not.toContain("evil.example");
  });
});
