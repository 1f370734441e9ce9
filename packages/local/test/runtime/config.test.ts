/** npm start's tunables: read from its environment through core's one parser, as the stacks read them at deploy. */
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { readConfig } from "../../src/runtime/config";
import { UsageError } from "../../src/cli/cli-errors";

describe("npm start's throttles", () => {
  it("are the declared ones by default", () => {
    // Act
    const config = readConfig([], {});
    // Assess
    expect(config.throttles).toEqual(Topology.API_THROTTLES);
  });

  it("follow the deploy variables, as a deployed stage's would", () => {
    // Act
    const config = readConfig([], {
      [Topology.DEPLOY_ENV.webSocketConnectThrottleRate]: "7",
      [Topology.DEPLOY_ENV.httpThrottleBurst]: "9",
    });
    // Assess
    expect(config.throttles?.webSocket?.routes?.$connect).toEqual({
      rateLimit: 7,
      burstLimit: Topology.API_THROTTLES.webSocket.routes.$connect.burstLimit,
    });
    expect(config.throttles?.http).toEqual({ rateLimit: Topology.API_THROTTLES.http.rateLimit, burstLimit: 9 });
  });

  it("refuse a value out of range as a usage error naming the variable", () => {
    expect(() => readConfig([], { [Topology.DEPLOY_ENV.webSocketThrottleRate]: "0" })).toThrow(UsageError);
    expect(() => readConfig([], { [Topology.DEPLOY_ENV.webSocketThrottleRate]: "0" })).toThrow(
      /WEBSOCKET_THROTTLE_RATE="0" is not allowed/,
    );
  });
});

describe("npm start's edge limits", () => {
  it("are the declared rules by default, and follow the deploy variables", () => {
    expect(readConfig([], {}).edgeRules).toEqual(Topology.EDGE_RULES);
    const config = readConfig([], { [Topology.DEPLOY_ENV.edgeOrdersPerAddress]: "1000" });
    expect(config.edgeRules?.OrdersPerAddress.limit).toBe(1000);
    expect(() => readConfig([], { [Topology.DEPLOY_ENV.edgeRequestsPerAddress]: "5" })).toThrow(
      /EDGE_REQUESTS_PER_ADDRESS="5" is not allowed/,
    );
  });
});

describe("npm start's workflow type", () => {
  it("runs Express twice only when asked, and refuses the ask for Standard naming both variables", () => {
    expect(readConfig([], { ORDER_WORKFLOW_TYPE: "EXPRESS", LOCAL_EXPRESS_RUNS_TWICE: "true" })).toMatchObject({
      workflowType: "EXPRESS",
      expressRunsTwice: true,
    });
    expect(readConfig([], { ORDER_WORKFLOW_TYPE: "STANDARD", LOCAL_EXPRESS_RUNS_TWICE: "false" })).toMatchObject({
      workflowType: "STANDARD",
    });
    expect(
      readConfig([], { ORDER_WORKFLOW_TYPE: "STANDARD", LOCAL_EXPRESS_RUNS_TWICE: "false" }).expressRunsTwice,
    ).toBeUndefined();
    const standard = { ORDER_WORKFLOW_TYPE: "STANDARD", LOCAL_EXPRESS_RUNS_TWICE: "true" };
    expect(() => readConfig([], standard)).toThrow(UsageError);
    expect(() => readConfig([], standard)).toThrow(
      /^LOCAL_EXPRESS_RUNS_TWICE=true needs ORDER_WORKFLOW_TYPE=EXPRESS \(it is STANDARD\)/,
    );
  });
});

describe("npm start's bound on Lambda environments", () => {
  it("are 12 environments with a 4 MB young generation by default, and follow their variables", () => {
    expect(readConfig([], {})).toMatchObject({ maxEnvironments: 12, youngGenerationMb: 4 });
    expect(readConfig([], { LOCAL_MAX_ENVIRONMENTS: "" })).toMatchObject({ maxEnvironments: 12 });
    expect(readConfig([], { LOCAL_MAX_ENVIRONMENTS: "20", LOCAL_YOUNG_GENERATION_MB: "16" })).toMatchObject({
      maxEnvironments: 20,
      youngGenerationMb: 16,
    });
  });

  it("refuse a value that is not an integer in range as a usage error naming the variable, range and default", () => {
    for (const value of ["1", "61", "12.5", "twelve"]) {
      expect(() => readConfig([], { LOCAL_MAX_ENVIRONMENTS: value })).toThrow(UsageError);
      expect(() => readConfig([], { LOCAL_MAX_ENVIRONMENTS: value })).toThrow(
        `LOCAL_MAX_ENVIRONMENTS must be an integer from 2 to 60 (default 12), got "${value}"`,
      );
    }
    expect(() => readConfig([], { LOCAL_YOUNG_GENERATION_MB: "0" })).toThrow(
      `LOCAL_YOUNG_GENERATION_MB must be an integer from 1 to 64 (default 4), got "0"`,
    );
  });
});
