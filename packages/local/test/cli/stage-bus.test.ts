import { expect, it } from "vitest";
import { CommandError } from "../../src/cli/cli-errors";
import { callbacksStackName, eventBusNameFromStack, resolveStageBusName } from "../../src/cli/stage-bus";

it("names the stage's Callbacks stack the way SST v2 does", () => {
  expect(callbacksStackName("dev")).toBe("dev-awsomepets-callbacks-Callbacks");
});

it("reads the bus name from the stack's EventBusName output", async () => {
  // Prepare
  const asked: string[] = [];
  const describe = async (name: string) => {
    asked.push(name);
    return {
      StackName: name,
      Outputs: [
        { OutputKey: "WebSocketUrl", OutputValue: "wss://x" },
        { OutputKey: "EventBusName", OutputValue: "dev-bus-123" },
      ],
    };
  };
  // Act
  const busName = await resolveStageBusName("dev", describe);
  // Assess
  expect(busName).toBe("dev-bus-123");
  expect(asked).toEqual(["dev-awsomepets-callbacks-Callbacks"]);
});

it("fails with a CommandError when the stack or its output is missing", () => {
  expect(() => eventBusNameFromStack(undefined, "s")).toThrow(CommandError);
  expect(() => eventBusNameFromStack({ Outputs: [] }, "s")).toThrow(/has no EventBusName output/);
});
