/**
 * The order tracker page in Chromium against the local runtime (`npm start`'s, in this process),
 * which serves the built page at `/` next to the order API: a customer's order and the workshop's
 * failure paths (each with the customer's next step), a sold-out pet, the API's field errors, several
 * orders at once across a reload, and a deploy-style build on another origin.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as SiteHeaders from "@awsomepets/core/platform/site-headers";
import { createStaticFiles } from "../../local/src/runtime/static-files";
import { buildWebPage } from "../build";
import type { Page } from "playwright-core";
import { chromiumMissing, warnIfChromiumMissing, watchPolicyViolations } from "./support/browser";
import { usePageSession } from "./support/page-session";
import {
  fillOrder,
  openTracker,
  placeFailurePath,
  placeOrder,
  screenshotPath,
  shownStatuses,
  upcomingSteps,
  waitForTerminal,
} from "./support/tracker-page";

warnIfChromiumMissing("order tracker page");

describe.skipIf(chromiumMissing)("order tracker page", () => {
  const session = usePageSession();
  let page: Page;

  // Each test has its own tab and sessionStorage.
  const freshPage = async (viewport = { width: 1200, height: 900 }) => {
    page = await session.freshPage({ viewport, locale: "en-GB", timezoneId: "UTC" });
    await openTracker(page, session.runtime.url);
    return page;
  };

  it("follows a customer's order from placed to completed: each status once, in order, with its date", async () => {
    // Prepare
    await freshPage();
    // Act
    const card = await placeOrder(page);
    await waitForTerminal(card);
    // Assess
    await expect
      .poll(() => shownStatuses(card), { timeout: 15_000 })
      .toEqual(["placed", "reserved", "paid", "completed"]);
    await expect.poll(() => card.getAttribute("data-connection")).toBe("finished");
    expect(await upcomingSteps(card)).toEqual([]);
    expect(await card.locator("li[data-status=paid] .amount").textContent()).toBe("€475.00");
    expect(await card.locator("li[data-status=paid] time").textContent()).toMatch(
      /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/,
    );
    expect(await card.locator(".placed-at").textContent()).toMatch(
      /^Ordered \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/,
    );
    expect(await card.locator(".outcome").textContent()).toBe("Completed — your pets are on their way.");
    expect(await card.getAttribute("data-terminal")).toBe("completed");
    expect(await card.locator(".progress").textContent()).toBe("✓ Completed");
    expect(await card.locator(".summary .items li").allTextContents()).toEqual([
      "1 × Labrador puppy€450.00",
      "2 × Betta fish€25.00",
    ]);
    expect(await card.locator(".summary .total").textContent()).toBe("Total €475.00");
    expect(await card.locator(".summary .destination").textContent()).toBe(
      "Ships to Ana Silva, 1 Rua Augusta, 1100-048 Lisboa, Portugal",
    );
    expect(await card.getByRole("button", { name: /^Remove order/ }).textContent()).toBe("Remove");
    await page.screenshot({ path: screenshotPath("order-tracker-completed.png"), fullPage: true });
  });

  it("ends a declined-card order (the workshop's panel) in cancelled: not charged, and another card offered", async () => {
    // Prepare
    await freshPage();
    // Act
    const card = await placeFailurePath(page, /^Declined card$/);
    await waitForTerminal(card);
    await card.getByRole("button", { name: /^Try another card/ }).click();
    // Assess
    await expect
      .poll(() => shownStatuses(card), { timeout: 15_000 })
      .toEqual(["placed", "reserved", "released", "cancelled"]);
    expect(await card.getAttribute("data-terminal")).toBe("cancelled");
    expect(await card.locator(".outcome").textContent()).toBe(
      "Cancelled: your card was declined. You have not been charged.",
    );
    expect(await card.locator(".progress").textContent()).toBe("✕ Cancelled");
    expect(await card.locator("li[data-status=released] .status").textContent()).toBe("Reservation cancelled");
    // "Try another card": the same pets and address in the form, no card chosen, the focus on the cards
    expect(await page.getByLabel(/Labrador puppy/).inputValue()).toBe("1");
    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("PT");
    expect(await page.getByRole("radio", { checked: true }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("card-visa");
    expect(await page.locator("#form-note").textContent()).toMatch(/choose another card/);
  });

  it("shows a sold-out pet as sold out, with nothing to order, and the workshop's paths apart from the form", async () => {
    // Prepare
    await freshPage();
    // Act
    const soldOutRow = page.locator(".pet.sold-out");
    // Assess
    expect(await soldOutRow.textContent()).toBe("Golden unicornunicorn · €999.99 eachSold out");
    expect(await soldOutRow.locator("input").count()).toBe(0);
    expect(await page.locator("#order-form").textContent()).not.toMatch(/tok_|card token|Try a path/i);
    expect(await page.locator("#order-form [data-path]").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Workshop Try the workshop's failure paths" }).count()).toBe(1);
  });

  it("shows the API's validation errors next to the fields they name, and places nothing", async () => {
    // Prepare
    await freshPage();
    await fillOrder(page, { quantities: { "Labrador puppy": "120" }, country: "" });
    // Act
    await page.getByRole("button", { name: "Place order" }).click();
    // Assess
    await page.locator("#form-error").waitFor({ state: "visible" });
    expect(await page.locator("#qty-DOG-LAB-error").textContent()).toBe("Enter a whole number from 1 to 99.");
    expect(await page.locator("#ship-country-error").textContent()).toBe("Choose the country the pets ship to.");
    expect(await page.getByLabel(/Labrador puppy/).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Country", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#ship-name-error").textContent()).toBe("");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("qty-DOG-LAB");
    expect(await page.locator(".order-card").count()).toBe(0);
  });

  it("watches several orders at once and keeps watching them across a reload", async () => {
    // Prepare
    await freshPage({ width: 390, height: 844 }); // a phone
    const soldOut = await placeFailurePath(page, /^Sold out$/);
    const soldOutId = await soldOut.getAttribute("data-order-id");
    const undeliverable = await placeFailurePath(page, /^Undeliverable address$/);
    const undeliverableId = await undeliverable.getAttribute("data-order-id");
    // Act
    await page.reload();
    // Assess
    const card = (id: string | null) => page.locator(`.order-card[data-order-id="${id}"]`);
    await waitForTerminal(card(soldOutId));
    await waitForTerminal(card(undeliverableId));
    expect(await page.locator(".order-card").count()).toBe(2);
    await expect.poll(() => shownStatuses(card(soldOutId)), { timeout: 15_000 }).toEqual(["placed", "cancelled"]);
    expect(await card(soldOutId).locator(".outcome").textContent()).toBe(
      "Cancelled: Golden unicorn is sold out. You have not been charged.",
    );
    expect(
      await card(soldOutId)
        .getByRole("button", { name: /^Order the other pets/ })
        .count(),
    ).toBe(1);
    await expect
      .poll(() => shownStatuses(card(undeliverableId)), { timeout: 15_000 })
      .toEqual(["placed", "reserved", "paid", "refunded", "released", "cancelled"]);
    expect(await card(undeliverableId).locator(".outcome").textContent()).toBe(
      "Cancelled: we cannot deliver to this country. Your payment of €475.00 has been refunded to your card; it can take up to 10 working days to show on your statement.",
    );
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(390); // no sideways scrolling on a phone
    await page.screenshot({ path: screenshotPath("order-tracker-phone.png"), fullPage: true });
  });

  it("works as deployed: built with SST's placeholder, replaced like SST does, served from another origin", async () => {
    // Prepare: the build `sst deploy` runs, then the replacement its uploader makes, served on localhost (not
    // 127.0.0.1)
    // with the headers the stage's CloudFront sends for an API on another origin
    const siteDir = mkdtempSync(path.join(tmpdir(), "order-tracker-site-"));
    const websocketUrl = session.runtime.state.endpoints.websocket;
    const headers = SiteHeaders.siteHeaders({
      api: SiteHeaders.originOf(session.runtime.url),
      websocket: SiteHeaders.originOf(websocketUrl),
    });
    const serve = createStaticFiles(siteDir, headers);
    const site = createServer(async (req, res) => {
      if (!(await serve(req, res))) res.writeHead(404).end();
    });
    try {
      await buildWebPage({ outDir: siteDir, apiUrl: "{{ API_URL }}", websocketUrl: "{{ WEBSOCKET_URL }}" });
      const appJs = path.join(siteDir, "app.js");
      writeFileSync(
        appJs,
        readFileSync(appJs, "utf8")
          .replaceAll("{{ API_URL }}", session.runtime.url)
          .replaceAll("{{ WEBSOCKET_URL }}", websocketUrl),
      );
      await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
      const siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
      page = await session.freshPage();
      const violations = await watchPolicyViolations(page);
      // Act
      await openTracker(page, siteUrl);
      const card = await placeOrder(page);
      await waitForTerminal(card);
      // Assess
      expect(new URL(siteUrl).origin).not.toBe(new URL(session.runtime.url).origin);
      await expect
        .poll(() => shownStatuses(card), { timeout: 15_000 })
        .toEqual(["placed", "reserved", "paid", "completed"]);
      expect(violations()).toEqual([]);
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});
