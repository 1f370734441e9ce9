/**
 * What every browser test file sets up: the local runtime serving a freshly built page, and one
 * Chromium, started before the file's tests and stopped after them. `freshPage` gives a test its own
 * browser profile (its own storage) and a tab in it, closing the previous one.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./browser";
import { startRuntimeWithPage, type RuntimeWithPage } from "./runtime";

type RuntimeOverrides = Parameters<typeof startRuntimeWithPage>[0];

/**
 * Call inside the file's `describe`; `beforeStop` runs first at the end (e.g. to release held sagas);
 * `runtime` configures the file's runtime (default: as `npm start`).
 */
export function usePageSession(options: { beforeStop?: () => void; runtime?: RuntimeOverrides } = {}) {
  let runtime: RuntimeWithPage | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    runtime = await startRuntimeWithPage(options.runtime);
    browser = await launchChromium();
  });
  afterAll(async () => {
    options.beforeStop?.();
    await context?.close();
    await browser?.close();
    await runtime?.close();
  });

  return {
    /** The file's Chromium, for a test that needs a second profile (another browser, or the same one restarted). */
    get browser(): Browser {
      if (!browser) throw new Error("usePageSession: Chromium is launched in beforeAll");
      return browser;
    },
    get runtime(): RuntimeWithPage {
      if (!runtime) throw new Error("usePageSession: the runtime is started in beforeAll");
      return runtime;
    },
    async freshPage(contextOptions: BrowserContextOptions = {}) {
      if (!browser) throw new Error("usePageSession: Chromium is launched in beforeAll");
      await context?.close();
      context = await browser.newContext(contextOptions);
      return context.newPage();
    },
  };
}
