/** Loading the real order workflow with substitutions, and listing its Task states. */
import { describe, expect, it } from "vitest";
import {
  DefinitionError,
  loadDefinition,
  retryingStates,
  taskStates,
} from "@awsomepets/aws-local/stepfunctions/definition";
import { ASL_TEXT, BUS, PUT_EVENTS, SUBSTITUTIONS } from "../support/workflow";

describe("loadDefinition", () => {
  it("substitutes every placeholder of the real workflow and leaves prose such as the Comment alone", () => {
    // Prepare: the stack's substitutions, with local values.
    // Act
    const definition = loadDefinition(ASL_TEXT, SUBSTITUTIONS);
    // Assess
    const text = JSON.stringify(definition.States);
    expect(text).not.toMatch(/\$\{/);
    expect(definition.States.ReserveInventory).toMatchObject({ Resource: SUBSTITUTIONS.ReserveInventoryFunctionArn });
    expect(JSON.stringify(definition.States.PublishPaid)).toContain(`"EventBusName":"${BUS}"`);
    expect(definition.Comment).toBe(JSON.parse(ASL_TEXT).Comment);
  });

  it("fails loudly, naming every placeholder that has no substitution", () => {
    // Prepare
    const { EventBusName: _bus, CancelOrderFunctionArn: _cancel, ...partial } = SUBSTITUTIONS;
    // Act
    const load = () => loadDefinition(ASL_TEXT, partial);
    // Assess
    expect(load).toThrow(DefinitionError);
    expect(load).toThrow(
      /\$\{EventBusName\}.*\$\{CancelOrderFunctionArn\}|\$\{CancelOrderFunctionArn\}.*\$\{EventBusName\}/,
    );
  });

  it("keeps the JSON valid whatever a substitution contains", () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL substitution left unfilled, on purpose.
    const asl = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"${Value}","End":true}}}';
    // Act
    const definition = loadDefinition(asl, { Value: 'say "hi" \\ bye' });
    // Assess
    expect(definition.States.P).toMatchObject({ Result: 'say "hi" \\ bye' });
  });
});

describe("taskStates and retryingStates", () => {
  it("list the saga's six steps and six Publish states with their resources", () => {
    // Prepare
    const definition = loadDefinition(ASL_TEXT, SUBSTITUTIONS);
    // Act
    const tasks = taskStates(definition);
    // Assess
    expect(
      tasks
        .filter((task) => task.resource === PUT_EVENTS)
        .map((task) => task.name)
        .sort(),
    ).toEqual([
      "PublishCancelled",
      "PublishCompleted",
      "PublishPaid",
      "PublishRefunded",
      "PublishReleased",
      "PublishReserved",
    ]);
    expect(tasks.filter((task) => task.resource !== PUT_EVENTS)).toEqual(
      ["ReserveInventory", "ProcessPayment", "CompleteOrder", "ProcessRefund", "ReleaseInventory", "CancelOrder"].map(
        (name) => ({ name, resource: SUBSTITUTIONS[`${name}FunctionArn`] }),
      ),
    );
    expect(retryingStates(definition).sort()).toEqual(tasks.map((task) => task.name).sort());
  });
});
