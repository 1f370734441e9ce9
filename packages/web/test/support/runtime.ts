/** The local runtime (`npm start`'s) in this test process, on free ports, serving a freshly built page at `/`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, startTestRuntime } from "../../../local/test/runtime/support";
import { buildWebPage } from "../../build";

export { ROOT };

export async function startRuntimeWithPage() {
  const webRoot = mkdtempSync(path.join(tmpdir(), "order-tracker-"));
  await buildWebPage({ outDir: webRoot, apiUrl: "" });
  try {
    const runtime = await startTestRuntime({}, { webRoot });
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
