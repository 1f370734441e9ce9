/**
 * Follows an order over its callback URL until it holds a terminal status with no gap, through the
 * client package (`watchOrder`): the timeline it built. A refused or dead link fails it after a few
 * tries, with what the upgrade was answered.
 */
import WebSocket from "ws";
import type { OrderTimeline } from "@awsomepets/client";
import { watchOrder } from "../../../client/src/order-client";

export function followToTerminal(url: string, timeoutMs = 60_000) {
  return new Promise<OrderTimeline>((resolve, reject) => {
    let refusal = "no answer";
    const client = watchOrder({
      url,
      lingerMs: 0,
      delay: () => 100,
      // `ws` shows a refused upgrade's status, which the platform's WebSocket does not.
      createSocket: (u) =>
        new WebSocket(u).on(
          "unexpected-response",
          (_request, response) => (refusal = `refused with ${response.statusCode}`),
        ),
      events: {
        onFinished: () => resolve(client.timeline),
        onOpenFailed: (failures) => failures >= 5 && fail(`could not open (${refusal})`),
      },
    });
    const timer = setTimeout(() => fail(`not terminal: ${JSON.stringify(client.timeline.statuses)}`), timeoutMs);
    void client.closed.then(() => clearTimeout(timer));
    function fail(why: string) {
      client.stop();
      reject(new Error(`${client.timeline.orderId} ${why}`));
    }
  });
}
