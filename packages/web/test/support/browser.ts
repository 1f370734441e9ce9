/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core. Where it is
 * not installed the browser suites are skipped, with a notice saying so (never silently).
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { isCI } from "@test-support/outside-tools";

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

/**
 * Records, from the first script of every document of the page on, each Content-Security-Policy
 * violation (the `securitypolicyviolation` event), each console error (Chromium also logs every
 * refused load there) and each uncaught error: `violations()` lists them, one line each.
 */
export async function watchPolicyViolations(page: import("playwright-core").Page) {
  const seen: string[] = [];
  page.on("console", (message) => void (message.type() === "error" && seen.push(`console: ${message.text()}`)));
  page.on("pageerror", (error) => void seen.push(`pageerror: ${error.message}`));
  // A binding and an init script are CDP's, not the page's: the policy under test does not block them.
  await page.exposeBinding("__reportPolicyViolation", (_source, line: string) => void seen.push(line));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportPolicyViolation: (line: string) => void }).__reportPolicyViolation;
      report(
        `csp: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return () => [...seen];
}

/**
 * Below the page, sends each WebSocket it opens elsewhere: `from` replaced by `to` in the URL. The
 * page opens only its stage's WebSocket URL (order-link.ts), so a test of a socket that cannot open
 * (another stage path, a closed port) or of a stub server reroutes that URL here; the page's own
 * code sees its stage's URL and a real socket that fails or talks to the stub.
 */
export async function rerouteSockets(page: import("playwright-core").Page, from: string, to: string) {
  await page.addInitScript(
    ([from, to]) => {
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(String(url).replace(from!, to!), protocols);
        }
      } as typeof WebSocket;
    },
    [from, to],
  );
}
