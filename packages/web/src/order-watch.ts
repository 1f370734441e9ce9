/// <reference lib="dom.iterable" />
/**
 * Watches one order: the live socket while it can be used, and `GET /orders/{id}` (with the
 * callback token) when it cannot — the socket will not open (refused upgrade, network) or the token
 * has expired. Everything shown is saved, so a reload resumes from the same cursor.
 */
import { OrderTimeline } from "@awsomepets/core/order-timeline";
import type { StatusFrame } from "@awsomepets/core/protocol";
import type { ApiClient, HistoryEntry } from "./api-client";
import { tokenExpired, tokenOf } from "./callback-url";
import { openOrderSocket, type ConnectionState, type OrderSocket } from "./order-socket";
import type { OrderStorage, WatchedOrder } from "./storage";
import type { OrderCard } from "./timeline-view";

export type WatchOptions = {
  saved: WatchedOrder;
  api: ApiClient;
  storage: OrderStorage;
  card: OrderCard;
  socketOptions?: { lingerMs?: number; delay?: (attempt: number) => number };
};

export function watchOrder({ saved, api, storage, card, socketOptions }: WatchOptions) {
  const { orderId, clientCallbackUrl } = saved;
  const timeline = new OrderTimeline(orderId, saved.statuses);
  let fromApi: HistoryEntry[] = [...saved.fromApi];
  let socket: OrderSocket | undefined;
  let ended = false;

  const persist = () => storage.save({ ...saved, statuses: timeline.statuses, fromApi });
  const show = (entry: StatusFrame | HistoryEntry) => card.add(entry);
  timeline.statuses.forEach(show);
  fromApi.forEach(show);

  const end = (state: "finished" | "stopped", text: string) => {
    ended = true;
    socket?.stop();
    card.setConnection(state, text, socket?.opens);
  };

  /** The order as the HTTP API has it: fills in what the socket could not deliver. */
  async function refreshFromApi(why: string) {
    const token = tokenOf(clientCallbackUrl);
    const result = token ? await api.order(orderId, token) : { kind: "forbidden" as const, message: "no token in the callback URL" };
    if (ended) return;
    if (result.kind === "forbidden") {
      card.setNotice(`Live updates are no longer possible (${result.message}). Showing the statuses received so far.`);
      end("stopped", "Not live");
      return;
    }
    if (result.kind === "failed") {
      card.setNotice(`${why}; the order could not be checked either (${result.message}). Still trying.`);
      return;
    }
    fromApi = result.order.history;
    result.order.history.forEach(show);
    persist();
    card.setNotice(`${why}; showing the order as the shop has it.`);
    if (result.order.terminal) end("finished", "Finished");
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
    if (state.kind === "closed" && !ended) card.setConnection("finished", "Finished", opens);
  };

  if (card.terminal && !timeline.hasGap) {
    card.setConnection("finished", "Finished");
    ended = true;
  } else if (tokenExpired(clientCallbackUrl)) {
    card.setConnection("offline", "Checking…");
    void refreshFromApi("The live link has expired").then(() => {
      if (!ended) end("stopped", "Not live");
    });
  } else {
    socket = openOrderSocket({
      url: clientCallbackUrl,
      timeline,
      lingerMs: socketOptions?.lingerMs,
      delay: socketOptions?.delay,
      events: {
        onStatus(frame) {
          show(frame);
          persist();
        },
        onState,
        onOpenFailed() {
          void refreshFromApi("The live connection could not be opened");
        },
        onFinished() {
          ended = true;
          card.setConnection("finished", "Finished", socket?.opens);
        },
        onProtocolError(code, message) {
          if (code === "not_subscribed") card.setNotice(`The server refused this order's updates: ${message}`);
        },
      },
    });
    persist();
  }

  return {
    orderId,
    stop: () => {
      ended = true;
      socket?.stop();
    },
    reconnectNow: () => socket?.reconnectNow(),
  };
}
export type OrderWatch = ReturnType<typeof watchOrder>;
