/** The callback path's limits set at deploy reach the functions under the names they read. */
import { describe, expect, it } from "vitest";
import { Topology } from "@awsomepets/core/index";
import { tunablesFromEnvironment } from "../../stacks/Callbacks";

describe("deploy-time limits", () => {
  it("passes what is set, under the contract's names, and leaves the rest to the handlers' defaults", () => {
    const values = tunablesFromEnvironment({ MAX_CONNECTIONS_PER_ORDER: "3", SYNC_BURST: "" }, ["maxConnectionsPerOrder", "syncBurst", "syncRatePerSecond"]);
    expect(values).toEqual({ maxConnectionsPerOrder: "3" });
    expect(Topology.environmentOf("OrderWSConnectFunction", { clientCallbackTable: "t", managementEndpoint: "https://m", ...values })).toEqual({
      CLIENT_CALLBACK_TABLE: "t",
      WEBSOCKET_MANAGEMENT_ENDPOINT: "https://m",
      MAX_CONNECTIONS_PER_ORDER: "3",
    });
  });

  it.each(["0", "-1", "ten", "1.5"])("stops the deploy on %j, naming the variable", (raw) => {
    expect(() => tunablesFromEnvironment({ SYNC_RATE_PER_SECOND: raw }, ["syncRatePerSecond"])).toThrow(/SYNC_RATE_PER_SECOND/);
  });
});
