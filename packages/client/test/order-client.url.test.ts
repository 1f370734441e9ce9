/**
 * watchOrder sends the order's token only where it may: a `wss:` URL, or `ws:` to this machine (as
 * `npm start` serves it), without user info. Anything else is refused before a socket is made.
 */
import { describe, expect, it } from "vitest";
import { watchOrder } from "../src/order-client";

/** A token whose expiry (2100) the client reads as ahead, so it tries to open. */
const query = "?orderId=6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11&token=v2.AbCd_-12.4102444800.abc";

/** Records the URLs the client would open, and opens nothing. */
function attempt(url: string) {
  const opened: string[] = [];
  const watch = watchOrder({
    url,
    delay: () => 60_000,
    // A socket that never opens: the test reads only which URL the client chose.
    createSocket: (u) => {
      opened.push(u);
      return { readyState: 0, addEventListener: () => {}, send: () => {}, close: () => {} };
    },
  });
  watch.stop();
  return opened;
}

describe("watchOrder's url", () => {
  it.each([
    "wss://abc.execute-api.eu-west-1.amazonaws.com/prod",
    "ws://127.0.0.1:4002/test",
    "ws://localhost:4002/test",
    "ws://[::1]:4002/test",
  ])("opens %s", (base) => {
    expect(attempt(`${base}${query}`)).toEqual([`${base}${query}`]);
  });

  it.each([
    ["plain ws to another host", "ws://shop.example/prod"],
    ["http", "https://shop.example/prod"],
    ["user info", "wss://me:secret@shop.example/prod"],
    ["javascript", "javascript:alert(1)//"],
  ])("refuses %s before making a socket, saying what to pass", (_name, base) => {
    expect(() => attempt(`${base}${query}`)).toThrow(
      /must be a wss: URL.*Pass the clientCallbackUrl from POST \/orders/,
    );
  });

  it("refuses what is not a URL", () => {
    expect(() => attempt("order-123")).toThrow(/is not a URL/);
  });
});
