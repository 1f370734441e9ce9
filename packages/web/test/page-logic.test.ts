/**
 * The page's pure parts: error placement, wording and formats, backoff, tokens, the API base, saved orders (order
 * links: order-link.test.ts).
 */
import { describe, expect, it } from "vitest";
import { tokenExpired, tokenExpiresAt, tokenOf } from "../src/callback-url";
import { apiBase } from "../src/config";
import {
  BASKET_EMPTY_TEXT,
  BASKET_FIELD,
  customerMessage,
  fieldForPath,
  FORM_FIELD,
  groupFieldErrors,
  QUANTITY_TEXT,
  refusalText,
  UNPLACED_TEXT,
} from "../src/field-errors";
import { countryName, countryOptions } from "../src/countries";
import { outcomeOf } from "../src/outcome";
import { customerReason, formatAmount, formatCents, formatDateTime, petName } from "../src/status-text";
import { createSubmissionKeys } from "../src/submission-key";
import type { OrderRequest } from "@awsomepets/client";
import { reconnectDelay, RECONNECT_MAX_MS } from "../src/reconnect-delay";
import {
  createOrderStorage,
  KEEP_DAYS,
  MAX_WATCHED_ORDERS,
  SESSION_STORAGE_KEY,
  STORAGE_KEY,
  type WatchedOrder,
} from "../src/storage";

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

  it("says one customer message per field, whatever the validator said, and never shows a path", () => {
    const grouped = groupFieldErrors(
      [
        { path: "basket.0.quantity", message: "Too big: expected number to be <=99" },
        { path: "basket.0.quantity", message: "Invalid input: expected int, received number" },
        { path: "pad", message: 'Unrecognized key: "pad"' },
      ],
      request({ basket: [{ sku: "DOG-LAB", quantity: 120 }] }),
      fields,
    );
    expect(grouped.get("quantity.DOG-LAB")).toBe(QUANTITY_TEXT);
    expect(grouped.get(FORM_FIELD)).toBe(UNPLACED_TEXT);
  });
});

const request = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({
  basket: [],
  paymentDetail: { cardToken: "" },
  shippingAddress: { name: "", line1: "", city: "", postalCode: "", country: "" },
  ...overrides,
});

describe("customerMessage", () => {
  it("tells an empty field from a refused one, by the value sent", () => {
    expect(customerMessage("basket", request())).toBe(BASKET_EMPTY_TEXT);
    expect(customerMessage("shippingAddress.country", request())).toBe("Choose the country the pets ship to.");
    const typed = request({ shippingAddress: { name: "A", line1: "B", city: "C", postalCode: "D", country: "QQ" } });
    expect(customerMessage("shippingAddress.country", typed)).toBe(
      "We cannot ship to this country. Choose another one from the list.",
    );
    expect(customerMessage("paymentDetail.cardToken", request())).toBe("Choose a card to pay with.");
    expect(customerMessage("basket.3.sku", request())).toMatch(/not in the shop any more/);
  });
  it("never passes on the validator's words", () => {
    for (const path of [
      "basket",
      "basket.0.quantity",
      "shippingAddress.name",
      "shippingAddress.line1",
      "shippingAddress.city",
      "shippingAddress.postalCode",
      "x.y",
    ]) {
      expect(customerMessage(path, request())).not.toMatch(/expected|ISO 3166|>=|characters\)/);
    }
  });
  it("words refusals for customers, promising no double charge where a retry is the answer", () => {
    expect(refusalText(0)).toMatch(/not be charged twice/);
    expect(refusalText(503)).toMatch(/not be charged twice/);
    expect(refusalText(418)).toMatch(/error 418/);
  });
});

describe("money, dates, countries and reasons", () => {
  it("prints amounts in the catalogue's one currency, in the customer's locale", () => {
    expect(formatAmount(475, "en-GB")).toBe("€475.00");
    expect(formatCents(1250, "en-GB")).toBe("€12.50");
    expect(formatAmount(1474.99, "de-DE")).toBe("1.474,99\u00a0€");
    expect(formatAmount(1474.99, "en-US")).toBe("€1,474.99");
  });
  it("prints dates and times in the customer's time zone, with the zone", () => {
    expect(formatDateTime("2026-12-02T10:04:30.000Z", "en-GB", "UTC")).toBe("2 Dec 2026, 10:04 UTC");
    expect(formatDateTime("2026-12-02T10:04:30.000Z", "de-DE", "Europe/Berlin")).toBe("2. Dez. 2026, 11:04 MEZ");
    expect(formatDateTime("not a date")).toBe("not a date");
  });
  it("names and sorts countries in the customer's language", () => {
    expect(countryName("DE", "de-DE")).toBe("Deutschland");
    expect(countryName("GB", "en-GB")).toBe("United Kingdom");
    expect(countryName("XX", "en-GB")).toBeUndefined();
    const german = countryOptions("de-DE").map((c) => c.name);
    expect(german).toHaveLength(249);
    expect(german.indexOf("Österreich")).toBeLessThan(german.indexOf("Pakistan"));
  });
  it("says what a cancellation means for the customer, and the next step", () => {
    const summary = {
      basket: [
        { sku: "DOG-LAB", quantity: 1 },
        { sku: "SOLD-OUT", quantity: 1 },
      ],
      amount: 1449.99,
    };
    const cancelled = (
      reason: string,
      ...before: Array<{ status: "reserved" | "paid" | "refunded"; amountPaid?: number }>
    ) => outcomeOf([{ status: "placed" }, ...before, { status: "cancelled", reason }], summary, "en-GB");
    expect(cancelled("The card was declined", { status: "reserved" })).toEqual({
      state: "cancelled",
      text: "Cancelled: your card was declined. You have not been charged.",
      next: { kind: "another-card", label: "Try another card" },
    });
    expect(cancelled("Out of stock: SOLD-OUT")?.text).toBe(
      "Cancelled: Golden unicorn is sold out. You have not been charged.",
    );
    expect(cancelled("Out of stock: SOLD-OUT")?.next?.kind).toBe("without-sold-out");
    expect(
      cancelled("We cannot deliver to XX", { status: "paid", amountPaid: 475 }, { status: "refunded" })?.text,
    ).toBe(
      "Cancelled: we cannot deliver to this country. Your payment of €475.00 has been refunded to your card; it can take up to 10 working days to show on your statement.",
    );
    expect(cancelled("We cannot deliver to PT")?.text).toMatch(/^Cancelled: we cannot deliver to Portugal\./);
    expect(cancelled("processPaymentFunction: Task timed out after 10.00 seconds")?.text).toBe(
      "Cancelled: we could not complete it. You have not been charged.",
    );
    expect(outcomeOf([{ status: "placed" }, { status: "completed" }], summary)?.text).toBe(
      "Completed — your pets are on their way.",
    );
    expect(outcomeOf([{ status: "placed" }], summary)).toBeUndefined();
  });
  it("names pets instead of SKUs in reasons", () => {
    expect(petName("SOLD-OUT")).toBe("Golden unicorn");
    expect(customerReason("Out of stock: SOLD-OUT")).toBe("Out of stock: Golden unicorn");
    expect(customerReason("Out of stock: DOG-LAB, SOLD-OUT")).toBe("Out of stock: Labrador puppy, Golden unicorn");
    expect(customerReason("The card was declined")).toBe("The card was declined");
  });
});

describe("submission keys", () => {
  it("reuses the key for a retry of the same order, and makes a new one for a changed order or after a 202", () => {
    let n = 0;
    const keys = createSubmissionKeys(() => `k${++n}`);
    const first = request({ basket: [{ sku: "DOG-LAB", quantity: 1 }] });
    expect(keys.keyFor(first)).toBe("k1");
    expect(keys.keyFor(structuredClone(first))).toBe("k1");
    expect(keys.keyFor({ ...first, basket: [{ sku: "DOG-LAB", quantity: 2 }] })).toBe("k2");
    keys.settled();
    expect(keys.keyFor({ ...first, basket: [{ sku: "DOG-LAB", quantity: 2 }] })).toBe("k3");
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
  it("reads the expiry of a v2 token from its third part", () => {
    const v2 = "wss://x.execute-api.us-east-1.amazonaws.com/dev?orderId=0b6e&token=v2.Ab-_0123.1700000000.abc_-";
    expect(tokenExpiresAt(tokenOf(v2))).toBe(1_700_000_000_000);
    expect(tokenExpired(v2, 1_700_000_000_000)).toBe(true);
    expect(tokenExpired(v2, 1_699_999_999_000)).toBe(false);
    // Not v2 nor legacy: no expiry read (the key id is not an expiry).
    expect(tokenExpiresAt("v3.Ab-_0123.1700000000.abc_-")).toBeUndefined();
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
    return {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      items,
    };
  };
  const order = (n: number): WatchedOrder => ({
    orderId: `o${n}`,
    clientCallbackUrl: `ws://h/s?orderId=o${n}`,
    addedAt: "",
    statuses: [],
    fromApi: [],
  });

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

  it("forgets orders placed more than KEEP_DAYS ago", () => {
    const now = Date.parse("2026-12-31T00:00:00Z");
    const storage = memory();
    const store = createOrderStorage(storage, { now: () => now });
    const daysAgo = (days: number) => new Date(now - days * 24 * 60 * 60 * 1000).toISOString();
    store.save({ ...order(1), addedAt: daysAgo(KEEP_DAYS + 1) });
    store.save({ ...order(2), addedAt: daysAgo(1), summary: { basket: [], placedAt: daysAgo(KEEP_DAYS + 2) } });
    store.save({ ...order(3), addedAt: daysAgo(KEEP_DAYS - 1) });
    expect(store.all().map((o) => o.orderId)).toEqual(["o3"]);
  });

  it("moves a tab's orders over from sessionStorage, once", () => {
    const local = memory();
    const session = memory();
    session.setItem(SESSION_STORAGE_KEY, JSON.stringify([order(1), order(2)]));
    createOrderStorage(local, { session }).save(order(3));
    expect(
      createOrderStorage(local, { session })
        .all()
        .map((o) => o.orderId),
    ).toEqual(["o1", "o2", "o3"]);
    expect(session.getItem(SESSION_STORAGE_KEY)).toBe("[]");
  });

  it("starts afresh from corrupt data and survives a storage that throws", () => {
    const corrupt = memory();
    corrupt.setItem(STORAGE_KEY, "{not json");
    expect(createOrderStorage(corrupt).all()).toEqual([]);
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => createOrderStorage(full).save(order(1))).not.toThrow();
    expect(createOrderStorage(undefined).all()).toEqual([]);
  });
});
