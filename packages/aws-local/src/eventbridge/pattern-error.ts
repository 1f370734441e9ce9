/** Why an event pattern is malformed, with the JSON path of the offending part (`detail.state[0]`). */
export class EventPatternError extends Error {
  override readonly name = "EventPatternError";

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Event pattern is not valid at ${path || "(root)"}: ${reason}`);
  }
}
