/** The page's pure parts: error placement, backoff, tokens, the API base, saved orders. */
import { describe, expect, it } from "vitest";
import { tokenExpired, tokenExpiresAt, tokenOf } from "../src/callback-url";
import { apiBase } from "../src/config";
import { BASKET_FIELD, fieldForPath, FORM_FIELD, groupFieldErrors } from "../src/field-errors";
import { reconnectDelay, RECONNECT_MAX_MS } from "../src/reconnect-delay";
import { createOrderStorage, MAX_WATCHED_ORDERS, STORAGE_KEY, type WatchedOrder } from "../src/storage";

const fields = new Set(["quantity.DOG-LAB", "quantity.FSH-BET", "paymentDetail.cardToken", "shippingAddress.country"]);

describe("fieldForPath", () => {
  it.each([
    ["basket.1.quantity", "quantity.FSH-BET"],
    ["basket.0.sku", "quantity.DOG-LAB"],
    ["basket.7.quantity", BASKET_FIELD],
    ["basket", BASKET_FIELD],
    ["shippingAddress.country", "shippingAddress.country"],
    ["paymentDetail.cardToken", "paymentDetail.cardToken"],
    ["pad", FORM_FIELD],
    ["(body)", FORM_FIELD],
  ])("puts %s at %s", (path, field) => {
    expect(fieldForPath(path, ["DOG-LAB", "FSH-BET"], fields)).toBe(field);
  });

  it("joins several messages for one field and names the path of one it cannot place", () => {
    const grouped = groupFieldErrors(
      [
        { path: "basket.0.quantity", message: "too big" },
        { path: "basket.0.quantity", message: "not an integer" },
        { path: "pad", message: "unrecognized key" },
      ],
      ["DOG-LAB"],
      fields,
    );
    expect(grouped.get("quantity.DOG-LAB")).toBe("too big; not an integer");
    expect(grouped.get(FORM_FIELD)).toBe("pad: unrecognized key");
  });
});

describe("reconnectDelay", () => {
  it("doubles its window per attempt up to the cap, with half of it random", () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
    expect(reconnectDelay(50, () => 1)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelay(50, () => 0)).toBe(RECONNECT_MAX_MS / 2);
  });
});

describe("callback URL token", () => {
  const url = "wss://x.execute-api.us-east-1.amazonaws.com/dev?orderId=0b6e&token=1700000000.abc_-";
  it("reads the token and its expiry", () => {
    expect(tokenOf(url)).toBe("1700000000.abc_-");
    expect(tokenExpiresAt(tokenOf(url))).toBe(1_700_000_000_000);
    expect(tokenExpired(url, 1_700_000_000_000)).toBe(true);
    expect(tokenExpired(url, 1_699_999_999_000)).toBe(false);
  });
  it("does not call an unreadable token expired (the server decides)", () => {
    expect(tokenOf("not a url")).toBeUndefined();
    expect(tokenExpired("wss://h/dev?token=opaque")).toBe(false);
  });
});

describe("apiBase", () => {
  it.each([
    ["", ""],
    ["https://api.example.com/", "https://api.example.com"],
    ["https://api.example.com/prod", "https://api.example.com/prod"],
    ["{{ API_URL }}", ""],
  ])("reads %j as %j", (configured, base) => expect(apiBase(configured)).toBe(base));
});

describe("order storage", () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
  };
  const order = (n: number): WatchedOrder => ({ orderId: `o${n}`, clientCallbackUrl: `ws://h/s?orderId=o${n}`, addedAt: "", statuses: [], fromApi: [] });

  it("adds, updates in place, removes, and keeps only the latest orders", () => {
    const store = createOrderStorage(memory());
    for (let n = 0; n < MAX_WATCHED_ORDERS + 2; n++) store.save(order(n));
    store.save({ ...order(5), addedAt: "updated" });
    store.remove("o6");
    const ids = store.all().map((o) => o.orderId);
    expect(ids[0]).toBe("o2");
    expect(ids).not.toContain("o6");
    expect(store.all().find((o) => o.orderId === "o5")?.addedAt).toBe("updated");
  });

  it("starts afresh from corrupt data and survives a storage that throws", () => {
    const corrupt = memory();
    corrupt.setItem(STORAGE_KEY, "{not json");
    expect(createOrderStorage(corrupt).all()).toEqual([]);
    const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(() => createOrderStorage(full).save(order(1))).not.toThrow();
    expect(createOrderStorage(undefined).all()).toEqual([]);
  });
});
