/// <reference lib="dom.iterable" />
/**
 * Watches one order: the live socket while it can be used, and `GET /orders/{id}` (with the
 * callback token) when it cannot — the socket will not open (refused upgrade, network) or the token
 * has expired. When live updates end for good the card says so in plain words, and keeps showing
 * everything already known (the `placed` of the 202, what was bought, the statuses so far).
 * Everything shown is saved, so a reload resumes from the same cursor.
 */
import { OrderTimeline } from "@awsomepets/core/order-timeline";
import type { StatusFrame } from "@awsomepets/core/protocol";
import type { ApiClient, HistoryEntry } from "./api-client";
import { tokenExpired, tokenOf } from "./callback-url";
import { openOrderSocket, type ConnectionState, type OrderSocket } from "./order-socket";
import { customerReason, STATUS_LABELS } from "./status-text";
import { byOccurrence, isTerminal } from "@awsomepets/core/order-status-model";
import type { OrderStorage, OrderSummary, WatchedOrder } from "./storage";
import type { OrderCard } from "./timeline-view";

const LAST_KNOWN = "the order status below is the last we know.";
export const ENDED_TEXT = {
  expired: `This link has expired — ${LAST_KNOWN}`,
  refused: `This order's link no longer works (the shop may have restarted) — ${LAST_KNOWN}`,
  unknown: `The shop has no record of this order any more (it may have restarted) — ${LAST_KNOWN}`,
  stopped: `You stopped live updates for this order — ${LAST_KNOWN}`,
} as const;
export const UNREACHABLE_TEXT = `We can't reach the shop right now and will keep trying — ${LAST_KNOWN}`;
export const PAUSED_TEXT = "Live updates are paused and we will keep trying. Meanwhile this is the order as the shop has it.";

export type WatchOptions = {
  saved: WatchedOrder;
  api: ApiClient;
  storage: OrderStorage;
  card: OrderCard;
  /** Says a new status (or the end of live updates) to screen readers, once. */
  announce?: (text: string) => void;
  socketOptions?: { lingerMs?: number; delay?: (attempt: number) => number };
};

export function watchOrder({ saved, api, storage, card, announce = () => {}, socketOptions }: WatchOptions) {
  const { orderId, clientCallbackUrl } = saved;
  const shortId = orderId.slice(0, 8);
  const timeline = new OrderTimeline(orderId, saved.statuses);
  let fromApi: HistoryEntry[] = [...saved.fromApi];
  let summary: OrderSummary | undefined = saved.summary;
  let stopped = saved.stopped ?? false;
  let socket: OrderSocket | undefined;
  let ended = false;

  const persist = () => storage.save({ ...saved, statuses: timeline.statuses, fromApi, summary, stopped });
  /** Shows a status; announces it if it is news (not one restored from storage). */
  const show = (entry: StatusFrame | HistoryEntry, news: boolean) => {
    if (!card.add(entry) || !news) return;
    const text = isTerminal(entry.status)
      ? entry.status === "completed"
        ? "Completed — the pets are on their way."
        : `Cancelled: ${customerReason(card.terminal?.reason ?? entry.reason ?? "the order could not be completed")}.`
      : `${STATUS_LABELS[entry.status] ?? entry.status}.`;
    announce(`Order ${shortId}: ${text}`);
  };
  card.setSummary(summary);
  timeline.statuses.forEach((entry) => show(entry, false));
  fromApi.forEach((entry) => show(entry, false));

  /** Live updates are over: said once, on the card and to screen readers. */
  const end = (state: "finished" | "stopped", text?: string) => {
    ended = true;
    socket?.stop();
    card.setConnection(state, state === "finished" ? "Updates complete" : "Not live", socket?.opens);
    if (state === "stopped") card.markStopped(); // nothing left to stop watching: "Remove"
    if (text) {
      card.setNotice(text);
      announce(`Order ${shortId}: ${text}`);
    }
  };

  /** The order as the HTTP API has it: fills in what the socket could not deliver. */
  async function refreshFromApi(why: "expired" | "open-failed") {
    const token = tokenOf(clientCallbackUrl);
    const result = token ? await api.order(orderId, token) : { kind: "forbidden" as const, message: "no token" };
    if (ended) return;
    if (result.kind === "forbidden") {
      return end("stopped", why === "expired" || /expired/i.test(result.message) ? ENDED_TEXT.expired : ENDED_TEXT.refused);
    }
    if (result.kind === "failed") {
      if (result.status === 404) return end("stopped", ENDED_TEXT.unknown);
      if (why === "expired") return end("stopped", ENDED_TEXT.expired);
      card.setNotice(UNREACHABLE_TEXT); // the socket keeps retrying with backoff
      return;
    }
    const { order } = result;
    fromApi = order.history;
    summary = { basket: order.basket, amount: order.amount, shippingAddress: order.shippingAddress ?? summary?.shippingAddress };
    card.setSummary(summary);
    order.history.forEach((entry) => show(entry, true));
    persist();
    if (order.terminal) end("finished");
    else if (why === "expired") end("stopped", ENDED_TEXT.expired);
    else card.setNotice(PAUSED_TEXT);
  }

  const onState = (state: ConnectionState) => {
    if (ended && state.kind !== "closed") return;
    const opens = socket?.opens;
    if (state.kind === "connecting") card.setConnection("connecting", state.attempt === 0 ? "Connecting…" : "Reconnecting…", opens);
    if (state.kind === "live") {
      card.setNotice(undefined);
      card.setConnection("live", "Live", opens);
    }
    if (state.kind === "reconnecting") {
      card.setConnection("reconnecting", `Connection lost — retrying in ${Math.ceil(state.inMs / 1000)} s`, opens);
    }
    if (state.kind === "closed" && !ended) card.setConnection("finished", "Updates complete", opens);
  };

  if (stopped) {
    end("stopped");
    card.setNotice(ENDED_TEXT.stopped);
  } else if (card.terminal && !timeline.hasGap) {
    end("finished");
  } else if (tokenExpired(clientCallbackUrl)) {
    card.setConnection("offline", "Checking…");
    void refreshFromApi("expired");
  } else {
    socket = openOrderSocket({
      url: clientCallbackUrl,
      timeline,
      lingerMs: socketOptions?.lingerMs,
      delay: socketOptions?.delay,
      events: {
        onStatus(frame) {
          show(frame, true);
          persist();
        },
        onState,
        onOpenFailed() {
          void refreshFromApi("open-failed");
        },
        onFinished() {
          ended = true;
          card.setConnection("finished", "Updates complete", socket?.opens);
        },
        onProtocolError(code, message) {
          // Not for customers' eyes: the socket handles what can be handled (see order-socket.ts).
          console.warn(`Order ${orderId}: the server sent error ${code}: ${message}`);
        },
      },
    });
    persist();
  }

  return {
    orderId,
    /** "Stop watching": live updates end, the card and what it shows stay. */
    stop() {
      if (stopped) return;
      stopped = true;
      end("stopped", ENDED_TEXT.stopped);
      persist();
    },
    /** The page is dropping the order ("Remove"). */
    dispose() {
      ended = true;
      socket?.stop();
    },
    reconnectNow: () => socket?.reconnectNow(),
  };
}
export type OrderWatch = ReturnType<typeof watchOrder>;
