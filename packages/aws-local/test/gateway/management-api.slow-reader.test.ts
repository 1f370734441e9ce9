/**
 * A client that never reads what is posted to it: API Gateway closes such connections instead of
 * buffering for ever. Here the bytes held for it are bounded (`maxBufferedBytes`), and posts past
 * the bound answer 410 and end the connection with `$disconnect`.
 */
import { GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { expect, it, vi } from "vitest";
import { lastConnectionId, openClient, startTestGateway } from "../support/gateway";

it("cuts a connection whose client does not read once the unread bytes pass the bound", async () => {
  // Prepare: a client whose TCP socket is paused, so nothing posted to it is ever taken.
  const maxBufferedBytes = 256 * 1024;
  const { gateway, calls, callsTo, management } = await startTestGateway({
    limits: { maxBufferedBytes, postTimeoutMs: 60_000 },
  });
  const client = await openClient(gateway.url);
  (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  management.config.maxAttempts = async () => 1;
  const connectionId = lastConnectionId(calls);
  const payload = Buffer.alloc(64 * 1024, "x");

  // Act: 8 MB of posts at once, far more than the bound plus what the kernel's buffers take.
  const outcomes = await Promise.all(
    Array.from({ length: 128 }, () =>
      management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: payload })).then(
        () => "ok",
        (error: unknown) => (error instanceof GoneException ? "gone" : String(error)),
      ),
    ),
  );

  // Assess: refused past the bound, every post answered (none left hanging), the connection ended.
  expect(outcomes.filter((o) => o !== "ok" && o !== "gone")).toEqual([]);
  expect(outcomes.filter((o) => o === "gone").length).toBeGreaterThan(0);
  await vi.waitFor(() => expect(callsTo("$disconnect")).toHaveLength(1));
  expect(callsTo("$disconnect")[0]!.event.requestContext).toMatchObject({ connectionId, disconnectStatusCode: 1006 });
  expect(gateway.connections()).toEqual([]);
  await expect(
    management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: payload })),
  ).rejects.toBeInstanceOf(GoneException);
}, 60_000);
