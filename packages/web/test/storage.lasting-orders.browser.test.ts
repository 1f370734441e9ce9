/**
 * Orders outlive the tab: kept per shop origin in the browser (a second tab after the first is closed,
 * the browser restarted, another tab placing one), and each has a link that reopens it in any browser —
 * reading that one order only with its own token.
 */
import { describe, expect, it } from "vitest";
import { chromiumMissing, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import {
  openTracker,
  placeFailurePath,
  placeOrder,
  screenshotPath,
  shownStatuses,
  waitForTerminal,
} from "./support/tracker-page";

warnIfChromiumMissing("order tracker page: orders that outlive the tab");

describe.skipIf(chromiumMissing)("order tracker page: orders that outlive the tab", () => {
  const session = usePageSession();
  const options = { viewport: { width: 1200, height: 900 }, locale: "en-GB", timezoneId: "UTC" };

  it("shows the orders in a second tab opened after the first was closed, and after the browser restarts", async () => {
    // Prepare: two orders placed in a tab, which is then closed
    const first = await session.freshPage(options);
    const context = first.context();
    await openTracker(first, session.runtime.url);
    const completed = await placeOrder(first);
    const completedId = await completed.getAttribute("data-order-id");
    await waitForTerminal(completed);
    const declined = await placeFailurePath(first, /^Declined card$/);
    const declinedId = await declined.getAttribute("data-order-id");
    await waitForTerminal(declined);
    await first.close();
    // Act
    const second = await context.newPage();
    await openTracker(second, session.runtime.url);
    const restarted = await session.browser.newContext({ ...options, storageState: await context.storageState() });
    const afterRestart = await restarted.newPage();
    await openTracker(afterRestart, session.runtime.url);
    // Assess
    try {
      for (const page of [second, afterRestart]) {
        const card = (id: string | null) => page.locator(`.order-card[data-order-id="${id}"]`);
        await waitForTerminal(card(completedId));
        expect(
          await page
            .locator(".order-card")
            .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.orderId)),
        ).toEqual([declinedId, completedId]);
        expect(await shownStatuses(card(completedId))).toEqual(["placed", "reserved", "paid", "completed"]);
        expect(await card(declinedId).locator(".outcome").textContent()).toBe(
          "Cancelled: your card was declined. You have not been charged.",
        );
        expect(await card(completedId).locator(".summary .total").textContent()).toBe("Total €475.00");
        expect(await page.locator("#orders-link").textContent()).toBe("Your orders (2)");
      }
    } finally {
      await restarted.close();
    }
  });

  it("shows an order placed in another open tab, and drops one removed there", async () => {
    // Prepare
    const placing = await session.freshPage(options);
    const watching = await placing.context().newPage();
    await openTracker(placing, session.runtime.url);
    await openTracker(watching, session.runtime.url);
    // Act
    const card = await placeOrder(placing);
    const orderId = await card.getAttribute("data-order-id");
    // Assess
    const there = watching.locator(`.order-card[data-order-id="${orderId}"]`);
    await waitForTerminal(there);
    await card.getByRole("button", { name: /^Remove order/ }).click({ timeout: 15_000 });
    await expect.poll(() => watching.locator(".order-card").count()).toBe(0);
  });

  it("reopens an order from its link in another browser, which reads that order only", async () => {
    // Prepare: an order, and its link
    const page = await session.freshPage(options);
    await openTracker(page, session.runtime.url);
    const card = await placeFailurePath(page, /^Undeliverable address$/);
    await waitForTerminal(card);
    const orderId = await card.getAttribute("data-order-id");
    const link = (await card.getByRole("link", { name: /^Link to order/ }).getAttribute("href"))!;
    const other = await placeOrder(page);
    const otherId = await other.getAttribute("data-order-id");
    const elsewhere = await session.browser.newContext(options); // another browser: nothing stored
    try {
      const reader = await elsewhere.newPage();
      const gets: number[] = [];
      reader.on(
        "response",
        (response) => void (/\/orders\/[0-9a-f-]+$/.test(response.url()) && gets.push(response.status())),
      );
      // Act
      await reader.goto(link);
      // Assess
      const opened = reader.locator(`.order-card[data-order-id="${orderId}"]`);
      await waitForTerminal(opened);
      await expect
        .poll(() => shownStatuses(opened), { timeout: 15_000 })
        .toEqual(["placed", "reserved", "paid", "refunded", "released", "cancelled"]);
      await expect.poll(() => opened.locator(".summary .total").textContent()).toBe("Total €475.00"); // from GET /orders/{id}
      expect(await opened.locator(".outcome").textContent()).toMatch(
        /^Cancelled: we cannot deliver to this country\. Your payment of €475\.00 has been refunded/,
      );
      // The link names no server: the page opens its own stage's WebSocket API with that id and token.
      expect(new URL(link).hash).toMatch(new RegExp(`^#order=${orderId}&token=[^&]+$`));
      expect(new URL(reader.url()).hash).toBe(""); // the token does not stay in the address bar
      expect(
        await reader.evaluate(() => document.activeElement?.closest(".order-card")?.getAttribute("data-order-id")),
      ).toBe(orderId);
      expect(gets).toEqual([200]);

      // Act: the same token with the other order's id: neither the socket nor the API gives that order away
      const forged = new URL(link);
      const fragment = new URLSearchParams(forged.hash.slice(1));
      fragment.set("order", otherId!);
      forged.hash = fragment.toString();
      await reader.goto(forged.href);
      const refused = reader.locator(`.order-card[data-order-id="${otherId}"]`);
      // Assess
      await expect
        .poll(() => refused.locator(".notice").textContent(), { timeout: 10_000 })
        .toMatch(/^We can't follow this order live from here any more\./);
      expect(await refused.locator(".summary").isHidden()).toBe(true);
      expect(await shownStatuses(refused)).toEqual([]);
      expect(await refused.locator(".timeline li").count()).toBe(0); // no steps "to come" for an order it knows nothing of
      expect(await refused.locator(".progress").textContent()).toBe("‖ Status unknown");
      expect(gets.slice(1)).toEqual([403]);
      await reader.screenshot({ path: screenshotPath("order-tracker-opened-from-link.png"), fullPage: true });
    } finally {
      await elsewhere.close();
    }
  });
});
