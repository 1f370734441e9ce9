/**
 * Issue 24 in Chromium: the page's first sync is throttled by API Gateway (npm start's gateway, with
 * a message bucket of one token refilled every 5 s that another socket keeps empty, as a reconnect
 * wave does on AWS), and the statuses pushed meanwhile leave a gap. Once the flood stops, the page
 * shows every status on the socket it opened — it does not wait for that socket to close.
 */
import { describe, expect, it, vi } from "vitest";
import { floodSyncs } from "@test-support/local-runtime";
import { STORAGE_KEY, type WatchedOrder } from "../src/storage";
import { chromiumMissing, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import { shownStatuses } from "./support/tracker-page";

/** Orders paid with `tok_held` wait in ProcessPayment until the test opens the gate. */
const gate = vi.hoisted(() => {
  let open!: () => void;
  let reached!: () => void;
  return {
    opened: new Promise<void>((resolve) => (open = resolve)),
    reachedPayment: new Promise<void>((resolve) => (reached = resolve)),
    open: () => open(),
    reached: () => reached(),
  };
});
vi.mock("../../core/src/orders/saga", async (importOriginal) => {
  const saga = await importOriginal<typeof import("../../core/src/orders/saga")>();
  return {
    ...saga,
    // The step's input holds only the order's id: the card is read from the order, as the step reads it.
    processPayment: async (
      deps: Parameters<typeof saga.processPayment>[0],
      input: Parameters<typeof saga.processPayment>[1],
    ) => {
      if ((await deps.store.getOrder(input.orderId))?.cardToken === "tok_held") {
        gate.reached();
        await gate.opened;
      }
      return saga.processPayment(deps, input);
    },
  };
});

warnIfChromiumMissing("order tracker page: a throttled sync");

const UNLIMITED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };
const ORDER = {
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_held" },
  shippingAddress: { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
};

describe.skipIf(chromiumMissing)("order tracker page: a throttled sync", () => {
  // The stage's messages (sync, $default, $disconnect): one token, one more every 5 s. Sockets and
  // the order API unlimited.
  const session = usePageSession({
    beforeStop: () => gate.open(),
    runtime: {
      throttles: {
        http: UNLIMITED,
        webSocket: { default: { rateLimit: 0.2, burstLimit: 1 }, routes: { $connect: UNLIMITED } },
      },
    },
  });

  it("shows every status on the socket it opened, once the stage's messages are admitted again", {
    timeout: 120_000,
  }, async () => {
    // Prepare: an order at `reserved` (seq 2), held before payment; the page keeps it (as after a
    // reload) and has shown nothing yet. The flood's sync saw both statuses: the bucket is empty, and stays so.
    const placed = await fetch(`${session.runtime.url}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ORDER),
    });
    expect(placed.status).toBe(202);
    const { orderId, clientCallbackUrl } = (await placed.json()) as { orderId: string; clientCallbackUrl: string };
    await gate.reachedPayment;
    const flooding = await floodSyncs(clientCallbackUrl, 2);
    try {
      await flooding.admitted;
      const saved: WatchedOrder = {
        orderId,
        clientCallbackUrl,
        addedAt: new Date().toISOString(),
        statuses: [],
        fromApi: [],
        summary: { basket: ORDER.basket },
      };
      const page = await session.freshPage({
        viewport: { width: 1200, height: 900 },
        locale: "en-GB",
        timezoneId: "UTC",
      });
      await page.addInitScript(
        ([key, value]) => localStorage.setItem(key!, value!),
        [STORAGE_KEY, JSON.stringify([saved])],
      );
      const received: string[] = [];
      page.on("websocket", (socket) => socket.on("framereceived", (frame) => received.push(String(frame.payload))));
      // Act: the page opens the order's socket (its sync is throttled); paid and completed are pushed
      await page.goto(session.runtime.url);
      const card = page.locator(`.order-card[data-order-id="${orderId}"]`);
      await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(JSON.parse(received[0]!)).toMatchObject({ message: "Too Many Requests" }); // the case at stake
      gate.open();
      await expect
        .poll(() => shownStatuses(card), { timeout: 20_000 })
        .toEqual(expect.arrayContaining(["paid", "completed"]));
      flooding.stop();
      // Assess: placed and reserved too, on the same socket (the page's retries back off, up to 15 s apart)
      await expect
        .poll(() => shownStatuses(card), { timeout: 40_000, interval: 200 })
        .toEqual(["placed", "reserved", "paid", "completed"]);
      expect(await card.getAttribute("data-opens")).toBe("1");
      expect(received.some((frame) => frame.includes('"type":"synced"'))).toBe(true);
    } finally {
      flooding.stop();
    }
  });
});
