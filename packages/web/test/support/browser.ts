/**
 * The page's browser-test helpers: Chromium itself comes from test/support/chromium.ts (skipped with a
 * notice where it is not installed); here, what the page's tests watch and reroute.
 */
export {
  CHROMIUM_FLAGS,
  CHROMIUM_PATH,
  chromiumMissing,
  launchChromium,
  warnIfChromiumMissing,
} from "@test-support/chromium";

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
