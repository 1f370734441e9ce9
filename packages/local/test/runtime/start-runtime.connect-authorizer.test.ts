/**
 * `npm start`'s gateway runs `$connect`'s authorizer (Topology.WEBSOCKET_AUTHORIZER) as API Gateway
 * does: the order's id it allows the connection with reaches `$disconnect` in `requestContext.authorizer`.
 * Every function runs from its module in its execution environment, except `$disconnect`, which records
 * its event and then runs the real handler.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { handler as disconnect } from "../../../functions/src/websocket/disconnect";
import { callbackUrl, newOrderId, openSocket, startTestRuntime } from "@test-support/local-runtime";

const disconnects: any[] = [];
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  runtime = await startTestRuntime(
    {},
    {
      overrideHandlers: {
        OrderWSDisconnectFunction: async (event) => {
          disconnects.push(event);
          return disconnect(event);
        },
      },
    },
  );
});
afterAll(() => runtime.close());

it("hands $disconnect the order id the authorizer allowed the connection with", async () => {
  // Prepare
  const orderId = newOrderId();
  const client = await openSocket(callbackUrl(runtime.state.endpoints.websocket, orderId));

  // Act
  client.close();
  const deadline = Date.now() + 10_000;
  while (disconnects.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

  // Assess
  expect(disconnects).toHaveLength(1);
  expect(disconnects[0].requestContext.authorizer).toEqual({ principalId: orderId, orderId });
  const authorizerRuns = runtime.records.filter(
    (record) => record.component === "websocket" && record.message === "$connect → OrderWSAuthorizerFunction",
  );
  expect(authorizerRuns).toEqual([expect.objectContaining({ statusCode: 200 })]);
});
