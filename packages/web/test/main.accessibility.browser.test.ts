/**
 * axe-core (the pinned npm package, its source injected into the page through playwright-core) on
 * the order tracker page as a customer meets it — the empty form, the form with errors, a page with
 * orders (completed, cancelled, one whose live updates ended) — at desktop and phone widths: no
 * violation at all. Also: the focus ring and input borders have 3:1 contrast, symbols are hidden from
 * screen readers, every status (placed too) is announced once, and on a phone the orders are one tap away.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumMissing, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import { openTracker, placeFailurePath, placeOrder, screenshotPath, waitForTerminal } from "./support/tracker-page";
import { STORAGE_KEY } from "../src/storage";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/** The violations axe finds on the page as it is now (any impact: the page keeps to zero). */
async function seriousViolations(page: Page) {
  // Evaluated over CDP, not as a <script> tag: the page's Content-Security-Policy (script-src 'self') stays on.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations;
}

/** WCAG's contrast ratio of two CSS colours (rgb()/rgba() as getComputedStyle gives them). */
function contrast(a: string, b: string) {
  const luminance = (css: string) => {
    const [r, g, b] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => Number(v) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const VIEWPORTS = [
  ["desktop", { width: 1200, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

warnIfChromiumMissing("order tracker page: accessibility");

describe.skipIf(chromiumMissing)("order tracker page: accessibility", () => {
  const session = usePageSession();

  describe.each(VIEWPORTS)("at %s width", (name, viewport) => {
    let page: Page;
    beforeAll(async () => {
      page = await session.freshPage({ viewport, locale: "en-GB" });
      await openTracker(page, session.runtime.url);
    });

    it("the empty form has no axe violation", async () => {
      expect(await seriousViolations(page)).toEqual([]);
    });

    it("the form with errors has none, and every error is tied to its field", async () => {
      // Act
      await page.getByRole("button", { name: "Place order" }).click();
      await page.locator("#form-error").waitFor({ state: "visible" });
      // Assess
      expect(await seriousViolations(page)).toEqual([]);
      const undescribed = await page
        .locator("[aria-invalid=true]")
        .evaluateAll((inputs) =>
          inputs
            .filter(
              (input) =>
                !(input.getAttribute("aria-describedby") ?? "")
                  .split(" ")
                  .some((id) => document.getElementById(id)?.textContent),
            )
            .map((i) => i.id),
        );
      expect(undescribed).toEqual([]);
    });

    it("a page with orders has none, and the live region announced their statuses", async () => {
      // Act: a completed and a cancelled order, and one whose link the shop refuses (live updates end)
      await waitForTerminal(await placeOrder(page));
      await waitForTerminal(await placeFailurePath(page, /^Sold out$/));
      const announcer = page.locator("#announcer");
      await expect
        .poll(() => announcer.textContent())
        .toContain("Cancelled: Golden unicorn is sold out. You have not been charged.");
      const refused = await refusedOrder(page);
      await refused.locator(".notice").waitFor();
      // Assess
      expect(await seriousViolations(page)).toEqual([]);
      expect(await announcer.getAttribute("role")).toBe("status");
      await expect
        .poll(() => announcer.textContent())
        .toMatch(/We can't follow this order live from here any more\. Press/);
      await page.screenshot({ path: screenshotPath(`order-tracker-${name}.png`), fullPage: true });
    });
  });

  it("announces every status of an order once, “Order placed” too", async () => {
    // Prepare
    const page = await session.freshPage({ viewport: VIEWPORTS[0][1], locale: "en-GB" });
    await openTracker(page, session.runtime.url);
    // Act
    const card = await placeOrder(page);
    await waitForTerminal(card);
    // Assess
    const id = (await card.getAttribute("data-order-id"))!.slice(0, 8);
    // The announcer may trail the card by a render under load: give it more than poll's default second.
    await expect.poll(() => page.locator("#announcer p").allTextContents(), { timeout: 10_000 }).toHaveLength(4);
    expect((await page.locator("#announcer p").allTextContents()).sort()).toEqual(
      [
        `Order ${id}: Order placed.`,
        `Order ${id}: Pets reserved for you.`,
        `Order ${id}: Payment received.`,
        `Order ${id}: Completed — your pets are on their way.`,
      ].sort(),
    );
  });

  it("hides the status symbols from screen readers: only words are read", async () => {
    // Prepare
    const page = await session.freshPage({ viewport: VIEWPORTS[0][1], locale: "en-GB" });
    await openTracker(page, session.runtime.url);
    // Act
    await waitForTerminal(await placeFailurePath(page, /^Declined card$/));
    await (await refusedOrder(page)).locator(".notice").waitFor();
    // Assess
    const readAloud = await page.locator("#orders").evaluate((orders) => {
      const walker = document.createTreeWalker(orders, NodeFilter.SHOW_TEXT);
      const texts: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode())
        if (!node.parentElement?.closest("[aria-hidden=true]")) texts.push(node.textContent ?? "");
      return texts.join(" ");
    });
    expect(readAloud).not.toMatch(/[✓✕◔‖○●⏳⏸]/u);
    expect(await page.locator("#orders .symbol").count()).toBeGreaterThan(4);
    expect(await page.locator("#orders .symbol:not([aria-hidden=true])").count()).toBe(0);
    expect(await page.locator(".order-card .progress").allTextContents()).toEqual(["‖ Status unknown", "✕ Cancelled"]);
  });

  it("the keyboard focus ring and the input borders have at least 3:1 contrast", async () => {
    // Prepare
    const page = await session.freshPage({ viewport: VIEWPORTS[0][1], locale: "en-GB" });
    await openTracker(page, session.runtime.url);
    // Act: from the top of the page, by keyboard, to the first quantity and to the Place order button
    await page.keyboard.press("Tab"); // "Your orders" link
    await page.keyboard.press("Tab");
    const input = await page.evaluate(() => {
      const focused = document.activeElement as HTMLElement;
      const style = getComputedStyle(focused);
      return {
        id: focused.id,
        visible: focused.matches(":focus-visible"),
        outline: style.outlineColor,
        width: style.outlineWidth,
        border: style.borderTopColor,
        behind: getComputedStyle(focused.closest(".panel")!).backgroundColor,
      };
    });
    await page.getByRole("button", { name: "Place order" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    const button = await page.evaluate(() => {
      const focused = document.activeElement as HTMLElement;
      return {
        text: focused.textContent,
        outline: getComputedStyle(focused).outlineColor,
        behind: getComputedStyle(focused.closest(".panel")!).backgroundColor,
      };
    });
    // Assess
    expect(input.id).toBe("qty-DOG-LAB");
    expect(input.visible).toBe(true);
    expect(input.width).toBe("3px");
    expect(contrast(input.outline, input.behind)).toBeGreaterThanOrEqual(3);
    expect(contrast(input.border, input.behind)).toBeGreaterThanOrEqual(3);
    expect(contrast(input.outline, "rgb(246, 247, 250)")).toBeGreaterThanOrEqual(3); // the page's background too
    expect(button.text).toBe("Place order");
    expect(contrast(button.outline, button.behind)).toBeGreaterThanOrEqual(3);
    await page.screenshot({
      path: screenshotPath("order-tracker-focus.png"),
      clip: { x: 0, y: 100, width: 600, height: 200 },
    });
  });

  it("on a phone, the orders are one tap away from the top of the page, whatever is scrolled", async () => {
    // Prepare
    const page = await session.freshPage({ viewport: VIEWPORTS[1][1], locale: "en-GB" });
    await openTracker(page, session.runtime.url);
    await waitForTerminal(await placeFailurePath(page, /^Sold out$/));
    await page.evaluate(() => window.scrollTo(0, 0));
    const link = page.getByRole("link", { name: "Your orders (1)" });
    const linkBox = await link.boundingBox();
    const ordersTop = await page.locator("#orders-heading").evaluate((h) => h.getBoundingClientRect().top);
    // Act
    await link.click();
    // Assess
    expect(linkBox!.y + linkBox!.height).toBeLessThan(200); // at the top, with no scrolling
    expect(ordersTop).toBeGreaterThan(844); // and the orders are far below the fold
    const headingTop = await page.locator("#orders-heading").evaluate((h) => h.getBoundingClientRect().top);
    const headerBottom = await page.locator(".site-header").evaluate((h) => h.getBoundingClientRect().bottom);
    expect(headingTop).toBeGreaterThanOrEqual(headerBottom); // in view, not under the sticky header
    expect(headingTop).toBeLessThan(844 / 2);
    expect(await link.isVisible()).toBe(true); // still there once scrolled
    await page.screenshot({ path: screenshotPath("order-tracker-phone-orders.png") });
    expect(await page.evaluate(() => document.elementFromPoint(20, 60)?.closest(".site-header") !== null)).toBe(true);
  });

  it("the check itself works: a field stripped of its label is reported", async () => {
    // Prepare
    const page = await session.freshPage();
    await openTracker(page, session.runtime.url);
    // Act
    await page.locator("label[for=ship-name]").evaluate((label) => label.remove());
    // Assess
    expect((await seriousViolations(page)).map((v) => v.id)).toContain("label");
  });
});

/**
 * An order the page saved whose token the WebSocket gateway refuses (forged) and the API does not know: its live
 * updates end.
 */
async function refusedOrder(page: Page) {
  const orderId = crypto.randomUUID();
  // The stage's own URL (the page drops any other), from the order already saved.
  const stageUrl = await page.evaluate(
    () =>
      JSON.parse(localStorage.getItem("awsomepets.orders.v2") ?? "[]")[0]?.clientCallbackUrl.split("?")[0] as string,
  );
  const saved = {
    orderId,
    clientCallbackUrl: `${stageUrl}?orderId=${orderId}&token=${Math.floor(Date.now() / 1000) + 3600}.forged`,
    addedAt: new Date().toISOString(),
    statuses: [],
    fromApi: [],
  };
  await page.evaluate(
    ([key, value]) =>
      localStorage.setItem(
        key!,
        JSON.stringify([...JSON.parse(localStorage.getItem(key!) ?? "[]"), JSON.parse(value!)]),
      ),
    [STORAGE_KEY, JSON.stringify(saved)],
  );
  await page.reload();
  await page.getByLabel(/Labrador puppy/).waitFor();
  return page.locator(`.order-card[data-order-id="${orderId}"]`);
}
