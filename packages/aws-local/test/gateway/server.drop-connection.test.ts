/**
 * `dropConnection`: a connection lost without `$disconnect` (API Gateway runs it best-effort), the
 * fault the reliability tests inject so that the app's 410 path runs.
 */
import { GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { describe, expect, it } from "vitest";
import { lastConnectionId, openClient, sleep, startTestGateway } from "../support/gateway";

describe("dropConnection", () => {
  it("cuts the socket, runs no $disconnect, and answers 410 to the next post", async () => {
    // Prepare
    const { gateway, calls, callsTo, management } = await startTestGateway();
    const client = await openClient(gateway.url);
    const connectionId = lastConnectionId(calls);

    // Act
    const dropped = gateway.dropConnection(connectionId);
    const closed = await client.closed;
    const posting = management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: "{}" }));

    // Assess
    expect(dropped).toBe(true);
    expect(closed.code).toBe(1006);
    await expect(posting).rejects.toBeInstanceOf(GoneException);
    expect(gateway.connections()).not.toContain(connectionId);
    await sleep(50); // a $disconnect would have been invoked by now
    expect(callsTo("$disconnect")).toHaveLength(0);
  });

  it("answers false for an id that is not open, and leaves other connections alone", async () => {
    // Prepare
    const { gateway, calls } = await startTestGateway();
    await openClient(gateway.url);
    const other = lastConnectionId(calls);

    // Act
    const dropped = gateway.dropConnection("Zeq_kfsBIAMCIEA=");

    // Assess
    expect(dropped).toBe(false);
    expect(gateway.connections()).toEqual([other]);
  });
});
