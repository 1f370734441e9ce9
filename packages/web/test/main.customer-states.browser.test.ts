/**
 * What a shop customer reads and what the page does for them, in Chromium against the local runtime:
 * field errors in the shop's words, prices and totals with the currency, the new card brought into
 * view on a phone, the steps still to come, honest notices with a way forward when live updates end
 * (expired, the server restarted or gone, stopped by the customer: "Check again", "Resume watching"),
 * the form ready for a new order (and no silent duplicate), one Idempotency-Key for a retried
 * submission, and calm syncing (with backoff) when a status stays missing or the server says
 * `rate_limited` — the last two against a stub WebSocket server that sends exactly the frames under test.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocketServer, type WebSocket as ServerSocket } from "ws";
import type { Page } from "playwright-core";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { TEST_STAGE, TOKEN_SECRET } from "@test-support/local-runtime";
import { STORAGE_KEY, type WatchedOrder } from "../src/storage";
import { chromiumMissing, rerouteSockets, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import {
  type CustomerOrder,
  fillOrder,
  HELD_CARD,
  openTracker,
  payWithHeldCard,
  placeFailurePath,
  placeOrder,
  screenshotPath,
  shownStatuses,
  upcomingSteps,
  waitForTerminalOverHttp,
} from "./support/tracker-page";

/**
 * Orders paid with HELD_CARD wait in ProcessPayment until the suite ends (they stay in progress); with
 * BRIEFLY_HELD_CARD, until the test says.
 */
const BRIEFLY_HELD_CARD = "tok_held_briefly";
const gate = vi.hoisted(() => {
  let open!: () => void;
  let openBriefly!: () => void;
  return {
    opened: new Promise<void>((resolve) => (open = resolve)),
    brieflyOpened: new Promise<void>((resolve) => (openBriefly = resolve)),
    open: () => {
      open();
      openBriefly();
    },
    openBriefly: () => openBriefly(),
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
      const cardToken = (await deps.store.getOrder(input.orderId))?.cardToken;
      if (cardToken === "tok_held") await gate.opened;
      if (cardToken === "tok_held_briefly") await gate.brieflyOpened;
      return saga.processPayment(deps, input);
    },
  };
});

const DAY_MS = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

warnIfChromiumMissing("order tracker page: customer states");

describe.skipIf(chromiumMissing)("order tracker page: customer states", () => {
  // gate.open(): let the held sagas finish before the runtime stops.
  const session = usePageSession({ beforeStop: () => gate.open() });
  let page: Page;

  /**
   * `bypassCSP` for a socket rerouted to another port (rerouteSockets), which the site's connect-src would block first.
   */
  const freshPage = async (viewport = { width: 1200, height: 900 }, options: { bypassCSP?: boolean } = {}) => {
    page = await session.freshPage({ viewport, locale: "en-GB", timezoneId: "UTC", ...options });
    return page;
  };

  /** Rewrites the saved callback URL of every watched order (what a reload then resumes with). */
  const replaceSavedTokens = (token: (orderId: string) => string) =>
    page.evaluate(
      ([key, tokens]) => {
        const saved = JSON.parse(localStorage.getItem(key!) ?? "[]") as Array<{
          orderId: string;
          clientCallbackUrl: string;
        }>;
        for (const order of saved) {
          const url = new URL(order.clientCallbackUrl);
          url.searchParams.set("token", (tokens as Record<string, string>)[order.orderId]!);
          order.clientCallbackUrl = url.href;
        }
        localStorage.setItem(key!, JSON.stringify(saved));
      },
      [STORAGE_KEY, Object.fromEntries(savedIds.map((id) => [id, token(id)]))] as const,
    );
  let savedIds: string[] = [];
  const placeHeldOrder = async (cardToken = HELD_CARD, order: CustomerOrder = {}) => {
    await payWithHeldCard(page, cardToken);
    const card = await placeOrder(page, order);
    await card.locator("li[data-status=reserved]").waitFor();
    savedIds = [(await card.getAttribute("data-order-id"))!];
    return card;
  };

  it("says what is missing on an empty submit, in the shop's words, and focuses the first field", async () => {
    // Prepare
    await freshPage();
    await openTracker(page, session.runtime.url);
    // Act
    await page.getByRole("button", { name: "Place order" }).click();
    // Assess
    await page.locator("#form-error").waitFor({ state: "visible" });
    const errors = await page
      .locator(".field-error")
      .evaluateAll((slots) => slots.map((s) => s.textContent).filter(Boolean));
    expect(errors).toEqual([
      "Choose at least one pet: set its quantity to 1 or more.",
      "Enter the name of the person receiving the pets.",
      "Enter the street and house number.",
      "Enter the town or city.",
      "Enter the postal code.",
      "Choose the country the pets ship to.",
    ]);
    expect(await page.locator("#form-error").textContent()).toMatch(/^Some details are missing/);
    expect(await page.locator("main").textContent()).not.toMatch(/expected|Too small|ISO 3166|>=/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("qty-DOG-LAB");
    expect(await page.locator(".order-card").count()).toBe(0);
  });

  it("shows prices with the currency and the basket's total before ordering", async () => {
    // Prepare
    await freshPage();
    await openTracker(page, session.runtime.url);
    expect(await page.locator("#basket-total").textContent()).toBe("No pets chosen yet.");
    // Act
    await fillOrder(page);
    const filled = await page.locator("#basket-total").textContent();
    await page.getByLabel(/Siamese kitten/).fill("2");
    // Assess
    expect(
      await page
        .getByText(/Labrador puppy/)
        .locator("..")
        .locator(".pet-meta")
        .textContent(),
    ).toBe("dog · €450.00 each");
    expect(filled).toBe("Total: €475.00 for 3 pets");
    expect(await page.locator("#basket-total").textContent()).toBe("Total: €1,115.00 for 5 pets");
  });

  it("on a phone, brings the new order's card into view and focus; no request fails, not even a favicon", async () => {
    // Prepare
    await freshPage({ width: 390, height: 844 });
    const failed: string[] = [];
    page.on(
      "response",
      (response) => void (response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`)),
    );
    await openTracker(page, session.runtime.url);
    // Act
    const card = await placeOrder(page);
    await card.locator(".outcome").waitFor();
    // Assess
    const top = await card.evaluate((element) => element.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(844 - 200); // its header and first lines are on screen
    const header = await page.locator(".site-header").evaluate((element) => element.getBoundingClientRect().bottom);
    expect(await card.locator("h3").evaluate((h) => h.getBoundingClientRect().top)).toBeGreaterThanOrEqual(header); // not under the sticky header
    expect(await page.evaluate(() => document.activeElement?.closest(".order-card") !== null)).toBe(true);
    expect(await page.locator("link[rel=icon]").getAttribute("href")).toMatch(/^data:image\/svg\+xml,/);
    expect(failed).toEqual([]);
  });

  it("shows the steps still to come while an order is in progress, and has the form ready for the next order", async () => {
    // Prepare
    await freshPage();
    await openTracker(page, session.runtime.url);
    // Act
    const card = await placeHeldOrder();
    // Assess
    expect(await shownStatuses(card)).toEqual(["placed", "reserved"]);
    expect(await upcomingSteps(card)).toEqual(["paid", "completed"]);
    expect(await card.locator(".timeline li.upcoming").allTextContents()).toEqual([
      "○Paymentto come",
      "○Sending your petsto come",
    ]);
    expect(await card.locator("li[aria-current=step]").getAttribute("data-status")).toBe("reserved");
    expect(await card.locator(".progress").textContent()).toBe("◔ In progress");
    expect(await page.locator("#basket-total").textContent()).toBe("No pets chosen yet.");
    expect(await page.getByLabel(/Labrador puppy/).inputValue()).toBe("0");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Ana Silva"); // the address stays
    expect(await page.locator("#form-note").textContent()).toMatch(
      /^Order [0-9a-f]{8} is placed: follow it under “Your orders”. The form is ready for another order.$/,
    );
  });

  it("places the same order twice only when asked twice, and says so", async () => {
    // Prepare
    await freshPage();
    await openTracker(page, session.runtime.url);
    const posts: string[] = [];
    page.on("request", (request) => void (request.method() === "POST" && posts.push(request.url())));
    await placeOrder(page);
    // Act: the same order again
    await fillOrder(page);
    await page.getByRole("button", { name: "Place order" }).click();
    const warned = await page.locator("#form-note").textContent();
    const cardsAfterFirstPress = await page.locator(".order-card").count();
    await page.getByRole("button", { name: "Place order" }).click();
    // Assess
    expect(warned).toMatch(
      /^You have just placed this same order \(order [0-9a-f]{8}\)\. To place it a second time, press “Place order” again\.$/,
    );
    expect(cardsAfterFirstPress).toBe(1);
    await expect.poll(() => page.locator(".order-card").count(), { timeout: 10_000 }).toBe(2);
    expect(posts).toHaveLength(2);
  });

  it("when the link has expired, says so in plain words, keeps the order as last known, and never says In progress", async () => {
    // Prepare: an order in progress, then its link expires (a token that expired yesterday, properly signed)
    await freshPage();
    await openTracker(page, session.runtime.url);
    await placeHeldOrder();
    await replaceSavedTokens((orderId) =>
      CallbackToken.sign({ orderId, stage: TEST_STAGE, secret: TOKEN_SECRET, now: new Date(Date.now() - 2 * DAY_MS) }),
    );
    // Act
    await page.reload();
    // Assess
    const card = page.locator(".order-card");
    await expect
      .poll(() => card.locator(".notice").textContent(), { timeout: 10_000 })
      .toMatch(/^Updates for this order ended a day after it was placed\./);
    const notice = (await card.locator(".notice").textContent())!;
    expect(notice).toMatch(
      /Last we heard \(\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC\): pets reserved for you\. If you need help, contact us quoting order number [0-9a-f]{8}\.$/,
    );
    expect(await shownStatuses(card)).toEqual(["placed", "reserved"]);
    expect(await card.locator(".progress").textContent()).toBe("‖ Last known: Pets reserved for you");
    expect(await card.getAttribute("data-connection")).toBe("stopped");
    expect(await card.locator(".summary .total").textContent()).toBe("Total €475.00");
    expect(await card.locator(".summary .destination").textContent()).toBe("Ships to Portugal"); // after a reload: storage keeps the country only
    expect(await page.locator("#announcer").textContent()).toContain(notice);
    expect(await page.locator("main").textContent()).not.toMatch(/Forbidden|token|link no longer|restarted/);
    expect(await card.getByRole("button").allTextContents()).toEqual(["Remove"]);
  });

  it("when the shop restarted and the link is refused, says so in customer words and offers Check again", async () => {
    // Prepare: the same order's link signed with another secret, as a restarted `npm start` without its data dir sees
    // it
    await freshPage();
    await openTracker(page, session.runtime.url);
    await placeHeldOrder();
    await replaceSavedTokens((orderId) =>
      CallbackToken.sign({ orderId, stage: TEST_STAGE, secret: "a-secret-from-before-the-restart-0123456789" }),
    );
    await page.reload();
    const card = page.locator(".order-card");
    await expect
      .poll(() => card.locator(".notice").textContent(), { timeout: 10_000 })
      .toMatch(/^We can't follow this order live from here any more\./);
    const ended = await card.locator(".notice").textContent();
    const buttons = await card.getByRole("button").allTextContents();
    const gets: string[] = [];
    page.on("request", (request) => void (/\/orders\/[0-9a-f-]+$/.test(request.url()) && gets.push(request.url())));
    // Act
    await card.getByRole("button", { name: /^Check again/ }).click();
    // Assess
    await expect
      .poll(() => card.locator(".notice").textContent())
      .toMatch(
        /^We couldn't check this order at \d{2}:\d{2}\. If you need help, contact us quoting order number [0-9a-f]{8}\.$/,
      );
    expect(gets).toHaveLength(1); // Check again reads the order
    expect(ended).toMatch(
      /Last we heard \(.+\): pets reserved for you\. Press “Check again” to ask the shop, or contact us quoting order number [0-9a-f]{8}\.$/,
    );
    expect(buttons).toEqual(["Check again", "Resume watching", "Remove"]);
    expect(await shownStatuses(card)).toEqual(["placed", "reserved"]);
    expect(await card.locator(".progress").textContent()).toBe("‖ Last known: Pets reserved for you");
    expect(await card.getAttribute("data-opens")).toBe("0");
    expect(await card.locator(".summary .items li").count()).toBe(2);
    await page.screenshot({ path: screenshotPath("order-tracker-dead-link.png"), fullPage: true });
  });

  it("when the server is gone right after the 202, shows the placed order and keeps trying", async () => {
    // Prepare: a port nobody listens on for the socket, and an order API that stops answering after the 202
    const deadPort = await closedPort();
    await freshPage(undefined, { bypassCSP: true }); // the port is closed, not the policy refusing it
    const gateway = new URL(session.runtime.state.endpoints.websocket);
    await rerouteSockets(page, `${gateway.origin}/`, `ws://127.0.0.1:${deadPort}/`);
    await openTracker(page, session.runtime.url);
    await page.route("**/orders/*", (route) => route.abort("connectionrefused"));
    // Act
    const card = await placeFailurePath(page, /^Declined card$/);
    // Assess
    await expect
      .poll(() => card.locator(".notice").textContent(), { timeout: 10_000 })
      .toMatch(/^We can't reach the shop right now and will keep trying\. Last we heard \(.+\): order placed\.$/);
    expect(await shownStatuses(card)).toEqual(["placed"]); // from the 202
    expect(await card.locator(".summary .total").textContent()).toBe("Total €475.00");
    await expect.poll(() => card.getAttribute("data-connection")).toMatch(/reconnecting|connecting/);
  });

  it("after Stop watching, a reload reads the order once: an order that finished meanwhile shows finished", async () => {
    // Prepare: an order held in payment, no longer watched
    await freshPage();
    await openTracker(page, session.runtime.url);
    const card = await placeHeldOrder(BRIEFLY_HELD_CARD);
    await expect.poll(() => card.getAttribute("data-connection")).toBe("live");
    await card.getByRole("button", { name: /^Stop watching order/ }).click();
    const stoppedText = await card.locator(".notice").textContent();
    // Act: the order completes meanwhile, unwatched; then the page is reloaded
    gate.openBriefly();
    const orderId = (await card.getAttribute("data-order-id"))!;
    const token = CallbackToken.sign({ orderId, stage: TEST_STAGE, secret: TOKEN_SECRET });
    await waitForTerminalOverHttp(session.runtime.url, orderId, token);
    await session.runtime.events.idle();
    await page.reload();
    // Assess
    expect(stoppedText).toMatch(
      /^You turned off live updates for this order\. Last we heard \(.+\): pets reserved for you\.$/,
    );
    const reloaded = page.locator(".order-card");
    await reloaded.locator(".outcome").waitFor({ timeout: 10_000 });
    expect(await shownStatuses(reloaded)).toEqual(["placed", "reserved", "paid", "completed"]);
    expect(await reloaded.locator(".progress").textContent()).toBe("✓ Completed");
    expect(await reloaded.getAttribute("data-opens")).toBeNull(); // read over HTTP, not live
    expect(await reloaded.getByRole("button").allTextContents()).toEqual(["Remove"]);
  });

  it("after Stop watching offers Check again (reads the order) and Resume watching (live again); Remove drops it", async () => {
    // Prepare
    await freshPage();
    await openTracker(page, session.runtime.url);
    const card = await placeHeldOrder();
    await expect.poll(() => card.getAttribute("data-connection")).toBe("live");
    await card.getByRole("button", { name: /^Stop watching order/ }).click();
    const buttons = await card.getByRole("button").allTextContents();
    const progress = await card.locator(".progress").textContent();
    // Act
    await card.getByRole("button", { name: /^Check again/ }).click();
    await expect
      .poll(() => card.locator(".notice").textContent())
      .toMatch(/^Checked at \d{2}:\d{2}: pets reserved for you\. Press “Resume watching” for live updates\.$/);
    await card.getByRole("button", { name: /^Resume watching/ }).click();
    // Assess
    expect(buttons).toEqual(["Check again", "Resume watching", "Remove"]);
    expect(progress).toBe("‖ Last known: Pets reserved for you");
    await expect.poll(() => card.getAttribute("data-connection")).toBe("live");
    expect(await card.locator(".progress").textContent()).toBe("◔ In progress");
    expect(await card.locator(".notice").isHidden()).toBe(true);
    expect(await card.getByRole("button").allTextContents()).toEqual(["Stop watching"]);
    await card.getByRole("button", { name: /^Stop watching order/ }).click();
    await card.getByRole("button", { name: /^Remove order/ }).click();
    expect(await page.locator(".order-card").count()).toBe(0);
    expect(await page.locator("#no-orders").isVisible()).toBe(true);
  });

  it("sends a retry of the same submission with the same Idempotency-Key, so one order is placed", async () => {
    // Prepare: the first answer is lost on the way back (the order is placed, the page sees a network error)
    await freshPage();
    await openTracker(page, session.runtime.url);
    const keys: string[] = [];
    let firstOrderId: string | undefined;
    await page.route("**/orders", async (route) => {
      keys.push((await route.request().allHeaders())["idempotency-key"] ?? "");
      if (firstOrderId === undefined) {
        firstOrderId = ((await (await route.fetch()).json()) as { orderId: string }).orderId;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    await fillOrder(page);
    await page.getByRole("button", { name: "Place order" }).click();
    await page.locator("#form-error").waitFor({ state: "visible" });
    const lostText = await page.locator("#form-error").textContent();
    // Act: press again, then order something else
    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator(".order-card").count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel(/Budgerigar/).fill("1");
    await page.getByRole("button", { name: "Place order" }).click();
    await expect.poll(() => page.locator(".order-card").count(), { timeout: 10_000 }).toBe(2);
    // Assess
    expect(lostText).toMatch(/not be charged twice/);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    const ids = await page
      .locator(".order-card")
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.orderId));
    expect(ids[1]).toBe(firstOrderId); // the retry got the order the lost answer was for
    expect(ids[0]).not.toBe(firstOrderId);
  });

  describe("against a stub WebSocket server", () => {
    let stub: WebSocketServer;
    let onSync: (socket: ServerSocket, orderId: string) => void = () => {};
    let syncs = 0;
    let connections = 0;

    beforeAll(async () => {
      stub = new WebSocketServer({ host: "127.0.0.1", port: 0 });
      await new Promise((resolve) => stub.once("listening", resolve));
      stub.on("connection", (socket, request) => {
        connections++;
        const orderId = new URL(request.url ?? "/", "http://stub").searchParams.get("orderId") ?? "";
        socket.on("message", () => {
          syncs++;
          onSync(socket, orderId);
        });
      });
    });
    afterAll(async () => {
      for (const client of stub?.clients ?? []) client.terminate();
      await new Promise((resolve) => stub?.close(resolve));
    });

    /** Opens the page watching one order whose socket is the stub; counts the syncs sent over `windowMs`. */
    const syncsOver = async (windowMs: number) => {
      const orderId = randomUUID();
      const farFuture = Math.floor(Date.now() / 1000) + 3600;
      // The page opens its stage's URL only: that URL is stored, and rerouted to the stub below the page.
      const saved: WatchedOrder = {
        orderId,
        clientCallbackUrl: `${session.runtime.state.endpoints.websocket}?orderId=${orderId}&token=${farFuture}.stub`,
        addedAt: new Date().toISOString(),
        statuses: [],
        fromApi: [],
        summary: { basket: [{ sku: "DOG-LAB", quantity: 1 }], amount: 450 },
      };
      await freshPage(undefined, { bypassCSP: true });
      await rerouteSockets(
        page,
        `${new URL(session.runtime.state.endpoints.websocket).origin}/`,
        `ws://127.0.0.1:${(stub.address() as AddressInfo).port}/`,
      );
      await page.addInitScript(
        ([key, value]) => localStorage.setItem(key!, value!),
        [STORAGE_KEY, JSON.stringify([saved])],
      );
      syncs = 0;
      connections = 0;
      await page.goto(session.runtime.url);
      const card = page.locator(`.order-card[data-order-id="${orderId}"]`);
      await expect.poll(() => syncs, { timeout: 10_000 }).toBeGreaterThan(0);
      const first = syncs;
      await sleep(windowMs); // an observation window, not a timing assertion
      return { card, sent: syncs - first, connections };
    };

    it("backs off when a status stays missing after a sync, instead of syncing in a loop", async () => {
      // Prepare: seq 2 never comes; every sync is answered with seq 1 and seq 3
      onSync = (socket, orderId) => {
        const at = (s: number) => `2026-11-26T10:00:0${s}.000Z`;
        socket.send(JSON.stringify({ type: "status", orderId, status: "placed", occurredAt: at(0), seq: 1 }));
        socket.send(
          JSON.stringify({ type: "status", orderId, status: "paid", occurredAt: at(2), seq: 3, amountPaid: 450 }),
        );
        socket.send(JSON.stringify({ type: "synced", orderId, lastSeq: 3 }));
      };
      // Act
      const { card, sent } = await syncsOver(4000);
      // Assess: without backoff this is hundreds (one per round trip); with it, a handful
      expect(sent).toBeGreaterThanOrEqual(2); // it does keep asking
      expect(sent).toBeLessThanOrEqual(12);
      expect(await shownStatuses(card)).toEqual(["placed", "paid"]);
      expect(await card.getAttribute("data-connection")).toBe("live");
    });

    it("keeps listening after the terminal status, and shows a status that happened before it but was recorded after it", async () => {
      // Prepare: cancelled is recorded (seq 2) before reserved and released (seqs 3 and 4), which
      // EventBridge delivered late; they come a second after the terminal status, with no gap to see
      onSync = (socket, orderId) => {
        const at = (s: number) => `2026-11-26T10:00:0${s}.000Z`;
        socket.send(JSON.stringify({ type: "status", orderId, status: "placed", occurredAt: at(0), seq: 1 }));
        socket.send(
          JSON.stringify({
            type: "status",
            orderId,
            status: "cancelled",
            occurredAt: at(3),
            seq: 2,
            reason: "The card was declined",
          }),
        );
        socket.send(JSON.stringify({ type: "synced", orderId, lastSeq: 2 }));
        setTimeout(() => {
          socket.send(JSON.stringify({ type: "status", orderId, status: "reserved", occurredAt: at(1), seq: 3 }));
          socket.send(
            JSON.stringify({
              type: "status",
              orderId,
              status: "released",
              occurredAt: at(2),
              seq: 4,
              reason: "The card was declined",
            }),
          );
        }, 1000);
      };
      // Act
      const { card } = await syncsOver(2500);
      // Assess
      await expect
        .poll(() => shownStatuses(card), { timeout: 5_000 })
        .toEqual(["placed", "reserved", "released", "cancelled"]);
      expect(await card.getAttribute("data-terminal")).toBe("cancelled");
    });

    it("on not_subscribed opens a new socket, after the reconnect backoff", async () => {
      // Prepare
      onSync = (socket) =>
        socket.send(JSON.stringify({ type: "error", code: "not_subscribed", message: "no subscription" }));
      // Act
      const { card, connections: opened } = await syncsOver(4000);
      // Assess
      expect(opened).toBeGreaterThanOrEqual(2);
      expect(opened).toBeLessThanOrEqual(10);
      expect(await page.locator("main").textContent()).not.toMatch(/not_subscribed|no subscription/);
      expect(await card.locator(".summary .items li").allTextContents()).toEqual(["1 × Labrador puppy€450.00"]);
    });

    it("backs off on rate_limited and shrugs off an error code it does not know", async () => {
      // Prepare
      onSync = (socket) => {
        socket.send(JSON.stringify({ type: "error", code: "brand_new_code", message: "from a newer server" }));
        socket.send(JSON.stringify({ type: "error", code: "rate_limited", message: "slow down" }));
      };
      // Act
      const { card, sent } = await syncsOver(4000);
      // Assess
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(10);
      expect(await card.getAttribute("data-connection")).toBe("live");
      expect(await card.locator(".notice").isHidden()).toBe(true);
      expect(await page.locator("main").textContent()).not.toMatch(/rate_limited|brand_new_code|slow down/);
    });
  });
});

/** A local port that was free a moment ago, and is closed now: connections to it are refused. */
async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
