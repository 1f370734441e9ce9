import { expect, it } from "vitest";
import { UsageError } from "../../src/cli/cli-errors";
import { readWatchOrderOptions } from "../../src/cli/watch-order-options";

const ORDER = "6f1c2a52-8a8e-4d7b-9a53-0d0f7c1e9b11";
const URL_OF_ORDER = `ws://127.0.0.1:3001/local?orderId=${ORDER}&token=1.x`;

it("takes the order id, and the URL with its order id in it", () => {
  expect(readWatchOrderOptions(["--order-id", ORDER])).toEqual({ orderId: ORDER });
  expect(readWatchOrderOptions(["--url", URL_OF_ORDER])).toEqual({ orderId: ORDER, url: URL_OF_ORDER });
  expect(readWatchOrderOptions(["--order-id", ORDER, "--url", URL_OF_ORDER])).toEqual({
    orderId: ORDER,
    url: URL_OF_ORDER,
  });
});

it.each([
  [[], /--order-id is required/],
  [["--order-id", "nope"], /--order-id must be a UUID/],
  [["--url", `http://127.0.0.1/x?orderId=${ORDER}`], /ws:\/\/ or wss:\/\//],
  [["--url", "not a url"], /--url must be a URL/],
  [["--order-id", "0b7a1f4e-5a2e-4c2e-9d3c-3f1e2a4b5c6d", "--url", URL_OF_ORDER], /is not the order of --url/],
])("rejects %j", (argv, message) => {
  expect(() => readWatchOrderOptions(argv)).toThrow(UsageError);
  expect(() => readWatchOrderOptions(argv)).toThrow(message);
});
