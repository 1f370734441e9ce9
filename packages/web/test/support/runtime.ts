/**
 * The local runtime (`npm start`'s) in this test process, on free ports, serving at `/` a page
 * freshly built for its gateway's URL, as `npm start` builds it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, startTestRuntime } from "@test-support/local-runtime";
import type { RuntimeConfig } from "../../../local/src/runtime/config";
import { buildWebPage } from "../../build";
import * as Steps from "../../../functions/src/workflow/steps";

export { ROOT };

/** `overrides`: the runtime's configuration for one file (e.g. a tiny message throttle). */
export async function startRuntimeWithPage(overrides: Partial<RuntimeConfig> = {}) {
  const webRoot = mkdtempSync(path.join(tmpdir(), "order-tracker-"));
  try {
    const runtime = await startTestRuntime(overrides, {
      webRoot,
      buildWebPage: (websocketUrl) => buildWebPage({ outDir: webRoot, apiUrl: "", websocketUrl }),
      // The payment step runs in this test process rather than in an execution environment of its
      // own, so that a test file's vi.mock of core's saga can hold a payment (an order in progress).
      overrideHandlers: { ProcessPaymentFunction: (event) => Steps.processPayment(event as never) },
    });
    return {
      ...runtime,
      url: runtime.state.endpoints.http,
      close: async () => {
        await runtime.close();
        rmSync(webRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(webRoot, { recursive: true, force: true });
    throw error;
  }
}
export type RuntimeWithPage = Awaited<ReturnType<typeof startRuntimeWithPage>>;
