/**
 * The page's live connection for one order: the client package's `watchOrder` (docs/protocol.md),
 * with the page's callbacks. An expired link and a refused or failed open both send the page to its
 * HTTP check (`GET /orders/{orderId}`), which tells the customer which it was.
 */
import {
  type ConnectionState,
  type OrderClient,
  type OrderTimeline,
  type StatusFrame,
  watchOrder,
} from "@awsomepets/client";

export type { ConnectionState, OrderClient };

export type PageClientEvents = {
  onStatus(frame: StatusFrame): void;
  onState(state: ConnectionState): void;
  /**
   * An attempt ended before the socket opened (refused upgrade, network down, expired link): the caller may check the
   * order over HTTP.
   */
  onOpenFailed(consecutiveFailures: number): void;
  /** The timeline is terminal and has no gap. */
  onFinished(): void;
  /** An error frame (`rate_limited` included); the client handles what can be handled. */
  onProtocolError?(code: string, message: string): void;
};

export type PageClientOptions = {
  url: string;
  timeline: OrderTimeline;
  events: PageClientEvents;
  lingerMs?: number;
  delay?: (attempt: number) => number;
  syncDelay?: (retry: number) => number;
  createSocket?: (url: string) => WebSocket;
};

export function openPageClient(options: PageClientOptions): OrderClient {
  const { events } = options;
  let failures = 0;
  return watchOrder({
    ...options,
    events: {
      onStatus: events.onStatus,
      onState: events.onState,
      onOpenFailed: (n) => {
        failures = n;
        events.onOpenFailed(n);
      },
      onExpired: () => events.onOpenFailed(failures + 1),
      onFinished: events.onFinished,
      onRateLimited: (message) => events.onProtocolError?.("rate_limited", message),
      onServerError: (code, message) => events.onProtocolError?.(code, message),
    },
  });
}
