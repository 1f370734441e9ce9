import { expect, it } from "vitest";
import { callbackUrl, newOrderId, openSocket, startTestRuntime } from "@test-support/local-runtime";

const handles = () =>
  process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap" || r === "TCPSocketWrap" || r === "Timeout");

it("close() runs $disconnect for open sockets and leaves no servers, sockets or timers behind", async () => {
  // Prepare
  const before = handles().length;
  const runtime = await startTestRuntime();
  const orderId = newOrderId();
  const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));
  // Act
  await runtime.close();
  await client.closed;
  // Assess
  expect(runtime.records.some((r) => r.message === "$disconnect → OrderWSDisconnectFunction")).toBe(true);
  const deadline = Date.now() + 2000;
  while (handles().length > before && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  expect(handles().length).toBeLessThanOrEqual(before);
});
