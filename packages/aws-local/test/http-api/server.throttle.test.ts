/** The HTTP API stage's throttle: past a route's bucket, 429 `{"message":"Too Many Requests"}` without invoking. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it, onTestFinished } from "vitest";
import { createHttpApi } from "../../src/http-api/server";

it("answers requests beyond a route's bucket with 429 Too Many Requests, and other routes still pass", async () => {
  // Prepare
  const invoked: string[] = [];
  const api = createHttpApi({
    routes: { "GET /catalogue": "Catalogue", "GET /orders/{orderId}": "GetOrder" },
    invoke: async (functionName) => {
      invoked.push(functionName);
      return { ok: true };
    },
    log: () => {},
    throttle: { rateLimit: 0.001, burstLimit: 2 },
  });
  const server = createServer((req, res) => void api(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Act
  const answers = [];
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${url}/catalogue`);
    answers.push({ status: response.status, body: await response.text() });
  }
  const other = await fetch(`${url}/orders/o-1`);

  // Assess
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
  expect(answers[2]!.body).toBe('{"message":"Too Many Requests"}');
  expect(other.status).toBe(200);
  expect(invoked).toEqual(["Catalogue", "Catalogue", "GetOrder"]);
});
