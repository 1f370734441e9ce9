/** Reading and driving the order tracker page, as a user would: by labels, roles and what is shown. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import { ROOT } from "./runtime";

export const SCREENSHOT_DIR = path.join(ROOT, "test-output");

export async function openTracker(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel(/Labrador puppy/).waitFor(); // the catalogue has loaded
}

export type CustomerOrder = {
  quantities?: Record<string, string>;
  card?: RegExp;
  address?: { name: string; line1: string; city: string; postalCode: string };
  country?: string;
};
const EXAMPLE: Required<CustomerOrder> = {
  quantities: { "Labrador puppy": "1", "Betta fish": "2" },
  card: /^Visa/,
  address: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048" },
  country: "PT",
};

/** Fills the customer's form as a customer would (the example: a Labrador and two Betta fish to Lisboa, Portugal). */
export async function fillOrder(page: Page, order: CustomerOrder = {}) {
  const { quantities, card, address, country } = { ...EXAMPLE, ...order };
  for (const [pet, quantity] of Object.entries(quantities)) await page.getByLabel(new RegExp(pet)).fill(quantity);
  await page.getByRole("radio", { name: card }).check();
  await page.getByLabel("Name", { exact: true }).fill(address.name);
  await page.getByLabel("Street and number").fill(address.line1);
  await page.getByLabel("City", { exact: true }).fill(address.city);
  await page.getByLabel("Postal code").fill(address.postalCode);
  await page.getByLabel("Country", { exact: true }).selectOption(country);
}

async function newCard(page: Page, act: () => Promise<void>) {
  const before = await page.locator(".order-card").count();
  await act();
  await expect.poll(() => page.locator(".order-card").count(), { timeout: 10_000 }).toBe(before + 1);
  return page.locator(".order-card").first(); // newest first
}

/** Fills the form (see fillOrder), places the order, and returns the new order's card. */
export function placeOrder(page: Page, order: CustomerOrder = {}, tweak?: () => Promise<void>) {
  return newCard(page, async () => {
    await fillOrder(page, order);
    await tweak?.();
    await page.getByRole("button", { name: "Place order" }).click();
  });
}

/** Places one of the workshop's failure paths from its panel, and returns the new order's card. */
export function placeFailurePath(page: Page, path: RegExp) {
  return newCard(page, () =>
    page
      .getByRole("group", { name: /workshop's failure paths/ })
      .getByRole("button", { name: path })
      .click(),
  );
}

/** Orders paid with this card token wait in ProcessPayment (the test's saga mock decides how long). */
export const HELD_CARD = "tok_held";
/** Every order this page places from now on is paid with `cardToken` (the form only offers real test cards). */
export async function payWithHeldCard(page: Page, cardToken = HELD_CARD) {
  await page.route("**/orders", async (route) => {
    const body = JSON.parse(route.request().postData() ?? "{}");
    body.paymentDetail = { cardToken };
    await route.continue({ postData: JSON.stringify(body) });
  });
}

export async function waitForTerminal(card: Locator, timeout = 20_000) {
  await card.locator(".outcome").waitFor({ state: "visible", timeout });
}

/**
 * The statuses a card shows as happened, top to bottom. Assert on them with `expect.poll`: EventBridge may
 * deliver an earlier status after the terminal one, and the page slots it in when it comes.
 */
/**
 * Waits until the order API says the order is terminal. Not `stepFunctions.idle()`: that also waits for
 * orders other tests hold in ProcessPayment until their Lambda timeout, past a test's timeout under load.
 */
export async function waitForTerminalOverHttp(apiUrl: string, orderId: string, token: string) {
  await expect
    .poll(
      async () => {
        const response = await fetch(`${apiUrl}/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } });
        return response.ok && ((await response.json()) as { terminal?: boolean }).terminal;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
}

export const shownStatuses = (card: Locator) =>
  card
    .locator(".timeline li[data-status]")
    .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status));
/** The steps the stepper shows as still to come. */
export const upcomingSteps = (card: Locator) =>
  card.locator(".timeline li.upcoming").evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.step));

export function screenshotPath(name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}
