/**
 * axe-core (the pinned npm package, its source injected into the page through playwright-core) on
 * the order tracker page as a customer meets it — the empty form, the form with errors, and a page
 * with orders (in progress, completed, cancelled) — at desktop and phone widths: no serious or
 * critical violation. Also: the page's live region announces new statuses.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumMissing, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import { openTracker, placeWithPreset, screenshotPath, waitForTerminal } from "./support/tracker-page";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/** The serious and critical violations axe finds on the page as it is now. */
async function seriousViolations(page: Page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
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

    it("the empty form has no serious or critical axe violation", async () => {
      expect(await seriousViolations(page)).toEqual([]);
    });

    it("the form with errors has none, and every error is tied to its field", async () => {
      // Act
      await page.getByRole("button", { name: "Place order" }).click();
      await page.locator("#form-error").waitFor({ state: "visible" });
      // Assess
      expect(await seriousViolations(page)).toEqual([]);
      const undescribed = await page.locator("[aria-invalid=true]").evaluateAll((inputs) =>
        inputs.filter((input) => !(input.getAttribute("aria-describedby") ?? "").split(" ").some((id) => document.getElementById(id)?.textContent)).map((i) => i.id),
      );
      expect(undescribed).toEqual([]);
    });

    it("a page with orders has none, and the live region announced their statuses", async () => {
      // Act: a completed and a cancelled order
      await waitForTerminal(await placeWithPreset(page, /^Success$/));
      await waitForTerminal(await placeWithPreset(page, /^Sold out$/));
      // Assess
      expect(await seriousViolations(page)).toEqual([]);
      const announcer = page.locator("#announcer");
      expect(await announcer.getAttribute("role")).toBe("status");
      await expect.poll(() => announcer.textContent()).toContain("Cancelled: Out of stock: Golden unicorn.");
      await page.screenshot({ path: screenshotPath(`order-tracker-${name}.png`), fullPage: true });
    });
  });

  it("the check itself works: a field stripped of its label is reported", async () => {
    // Prepare
    const page = await session.freshPage();
    await openTracker(page, session.runtime.url);
    // Act
    await page.locator("label[for=card-token]").evaluate((label) => label.remove());
    // Assess
    expect((await seriousViolations(page)).map((v) => v.id)).toContain("label");
  });
});
