/**
 * The wiring contract (`Topology`): which function serves which route and rule, with its handler
 * module, runtime and environment. The stacks deploy exactly this; `npm start` runs exactly this.
 * The workshop's physical names (`OrderWSPendingFunction`, `ClientCallbackTbl`, …) live here only.
 */
export * from "./stacks";
export * from "./functions";
export * from "./wiring";
export * from "./routes";
export * from "./events";
export * from "./workflow";
export * from "./throttles";
export * from "./edge";
