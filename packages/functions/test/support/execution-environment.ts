/**
 * One Lambda execution environment, for tests: a process of its own (so its own module state, as on
 * AWS) that loads the `$default` handler module and invokes it with the events the parent sends, all
 * at once (so that a burst lands within milliseconds even on a loaded machine). Configuration comes
 * from the environment the parent set. Run with `node --import tsx`; talks over the IPC channel:
 * "ready", then one result list per batch.
 */
export {};
const { handler } = await import("../../src/websocket/sync");

process.on("message", async (message: { events: unknown[] }) => {
  const results = await Promise.all(
    message.events.map((event) => handler(event).catch((error: unknown) => ({ error: String(error) }))),
  );
  process.send!({ results });
});
process.on("disconnect", () => process.exit(0));
process.send!("ready");
