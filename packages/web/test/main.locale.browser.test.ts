/**
 * The customer's own locale: money, dates and times through `Intl` in the browser's language and time
 * zone (the currency stays the shop's), and the shipping country picked from a list named in the
 * customer's language — typed, as a keyboard user does — with its ISO code sent.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumMissing, warnIfChromiumMissing } from "./support/browser";
import { usePageSession } from "./support/page-session";
import { openTracker, placeOrder, screenshotPath, waitForTerminal } from "./support/tracker-page";

warnIfChromiumMissing("order tracker page: the customer's locale");

/** Fills the example order but the country, which is typed into the focused list. */
async function typeCountry(page: Page, typed: string) {
  const sent: string[] = [];
  page.on(
    "request",
    (request) =>
      void (request.method() === "POST" && sent.push(JSON.parse(request.postData() ?? "{}").shippingAddress?.country)),
  );
  await page.getByLabel("Country", { exact: true }).focus();
  await page.keyboard.type(typed, { delay: 20 });
  return sent;
}

describe.skipIf(chromiumMissing)("order tracker page: the customer's locale", () => {
  const session = usePageSession();

  it("in a German browser in Berlin: German amounts, Berlin dates, German country names; typed “Deutschland” sends DE", async () => {
    // Prepare
    const page = await session.freshPage({
      viewport: { width: 1200, height: 900 },
      locale: "de-DE",
      timezoneId: "Europe/Berlin",
    });
    await openTracker(page, session.runtime.url);
    // Act
    let sent: string[] = [];
    const card = await placeOrder(page, {}, async () => {
      await page.getByLabel("Country", { exact: true }).selectOption(""); // forget fillOrder's pick: the typed one counts
      sent = await typeCountry(page, "Deutschland");
    });
    await waitForTerminal(card);
    // Assess
    expect(sent).toEqual(["DE"]);
    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("DE");
    expect(
      await page
        .getByText(/Labrador puppy/)
        .locator("..")
        .locator(".pet-meta")
        .textContent(),
    ).toBe("dog · 450,00\u00a0€ each");
    expect(await card.locator(".summary .total").textContent()).toBe("Total 475,00\u00a0€");
    expect(await card.locator("li[data-status=paid] .amount").textContent()).toBe("475,00\u00a0€");
    expect(await card.locator(".summary .destination").textContent()).toBe(
      "Ships to Ana Silva, 1 Rua Augusta, 1100-048 Lisboa, Deutschland",
    );
    const placed = card.locator("li[data-status=placed] time");
    const expected = await placed.evaluate((time) => {
      const at = new Date(time.getAttribute("datetime")!);
      const hour = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        hour: "2-digit",
        minute: "2-digit",
      }).format(at);
      return { hour, utcHour: at.toISOString().slice(11, 16) };
    });
    const shown = (await placed.textContent())!;
    expect(shown).toMatch(/^\d{1,2}\. [A-ZÄÖÜ][a-zäöü]{2,3}\.? \d{4}, \d{2}:\d{2} MEZ$/);
    expect(shown).toContain(expected.hour);
    expect(expected.hour).not.toBe(expected.utcHour); // Berlin is not UTC: the zone is really applied
    expect(await card.locator(".placed-at").textContent()).toMatch(/^Ordered \d{1,2}\. .+ MEZ$/);
    const names = await page
      .locator("#ship-country option")
      .evaluateAll((options) => options.map((o) => o.textContent));
    expect(names).toContain("Vereinigtes Königreich");
    expect(names.indexOf("Österreich")).toBeLessThan(names.indexOf("Pakistan")); // German sorting: Ö with O
    expect(await page.locator("#ship-country").getAttribute("lang")).toBe("de-DE");
    await page.screenshot({ path: screenshotPath("order-tracker-de-DE.png"), fullPage: true });
  });

  it("in a British browser: typed “Germany” picks Germany and sends DE, never a guess like GE", async () => {
    // Prepare
    const page = await session.freshPage({
      viewport: { width: 1200, height: 900 },
      locale: "en-GB",
      timezoneId: "Europe/London",
    });
    await openTracker(page, session.runtime.url);
    // Act
    let sent: string[] = [];
    const card = await placeOrder(page, {}, async () => {
      await page.getByLabel("Country", { exact: true }).selectOption("");
      sent = await typeCountry(page, "Germany");
    });
    // Assess
    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("DE");
    await expect.poll(() => sent).toEqual(["DE"]);
    expect(await card.locator(".summary .destination").textContent()).toMatch(/, Germany$/);
    expect(await card.locator(".summary .total").textContent()).toBe("Total €475.00");
  });
});
