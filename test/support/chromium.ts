/**
 * Chromium for the browser tests of more than one package (web's page, the client package as a page
 * loads it): Debian's /usr/bin/chromium driven by playwright-core. Where it is not installed the
 * browser suites are skipped, with a notice saying so (never silently); CI=true requires it.
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { isCI } from "./outside-tools";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const chromiumMissing = !existsSync(CHROMIUM_PATH);

/** Call at the top of a browser test file: warns once per file when its suite will be skipped (fails under CI=true). */
export function warnIfChromiumMissing(suite: string) {
  if (chromiumMissing && isCI())
    throw new Error(
      `${suite}: ${CHROMIUM_PATH} is not installed, and CI=true requires every suite (apt-get install -y chromium)`,
    );
  if (chromiumMissing)
    console.warn(`[browser tests skipped] ${suite}: ${CHROMIUM_PATH} is not installed (apt-get install -y chromium)`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true, timeout: 30_000 });
}
