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

/** Applies a preset, places the order, and returns the new order's card. */
export async function placeWithPreset(page: Page, preset: RegExp, tweak?: () => Promise<void>) {
  const before = await page.locator(".order-card").count();
  await page.getByRole("button", { name: preset }).click();
  await tweak?.();
  await page.getByRole("button", { name: "Place order" }).click();
  await expect.poll(() => page.locator(".order-card").count(), { timeout: 10_000 }).toBe(before + 1);
  return page.locator(".order-card").first(); // newest first
}

export async function waitForTerminal(card: Locator, timeout = 20_000) {
  await card.locator(".outcome").waitFor({ state: "visible", timeout });
}

/**
 * The statuses a card shows, top to bottom. Assert on them with `expect.poll`: EventBridge may deliver
 * an earlier status after the terminal one, and the page slots it in when it comes.
 */
export const shownStatuses = (card: Locator) => card.locator(".timeline li").evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status));

export function screenshotPath(name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}
