/// <reference lib="dom.iterable" />
/**
 * Watches one order: the live socket while it can be used, and `GET /orders/{id}` (with the order's
 * token) when it cannot — the socket will not open, the token has expired, the customer stopped
 * watching, or they press "Check again". When live updates end the card says, in the customer's
 * words, what it knows and when it was last heard of, and offers a way forward ("Check again",
 * "Resume watching"); it never shows "In progress" for an order nobody is following. Everything
 * shown is saved, so another tab or a reload resumes from the same cursor.
 */
import { getOrder, OrderTimeline } from "@awsomepets/client";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as StatusModel from "@awsomepets/core/status/model";
import { tokenExpired, tokenOf } from "./callback-url";
import { openPageClient, type ConnectionState, type OrderClient } from "./page-client";
import { outcomeOf } from "./outcome";
import { formatClock, formatDateTime, STATUS_LABELS } from "./status-text";
import type { OrderStorage, OrderSummary, WatchedOrder } from "./storage";
import type { OrderCard } from "./timeline-view";

/** The customer's words for the end of live updates and for each check; `last` is "Last we heard …". */
/** Sentences joined with one space, an empty one left out. */
const sentences = (...parts: string[]) => parts.filter(Boolean).join(" ");

export const NOTICES = {
  stopped: (last: string) => sentences("You turned off live updates for this order.", last),
  ended: (last: string, id: string) =>
    sentences(
      "We can't follow this order live from here any more.",
      last,
      `Press “Check again” to ask the shop, or contact us quoting order number ${id}.`,
    ),
  expired: (last: string, id: string) =>
    sentences(
      "Updates for this order ended a day after it was placed.",
      last,
      `If you need help, contact us quoting order number ${id}.`,
    ),
  unreachable: (last: string) => sentences("We can't reach the shop right now and will keep trying.", last),
  paused: (at: string) =>
    `Live updates are paused and we will keep trying. This is the order as the shop had it at ${at}.`,
  checked: (at: string, label: string) => `Checked at ${at}: ${label}. Press “Resume watching” for live updates.`,
  checkFailed: (at: string) => `We couldn't reach the shop at ${at}. Please check again in a moment.`,
  unknown: (at: string, id: string) =>
    `We couldn't check this order at ${at}. If you need help, contact us quoting order number ${id}.`,
} as const;

export type WatchOptions = {
  saved: WatchedOrder;
  /** The order API's base URL ("" for the page's own origin). */
  apiBaseUrl: string;
  storage: OrderStorage;
  card: OrderCard;
  /** Says a new status (or the end of live updates) to screen readers, once. */
  announce?: (text: string) => void;
  socketOptions?: { lingerMs?: number; delay?: (attempt: number) => number };
};

type Ending = "stopped" | "ended" | "expired";

export function followOrderOnCard({
  saved,
  apiBaseUrl,
  storage,
  card,
  announce = () => {},
  socketOptions,
}: WatchOptions) {
  const { orderId, clientCallbackUrl } = saved;
  const shortId = orderId.slice(0, 8);
  const timeline = new OrderTimeline(orderId, saved.statuses);
  let fromApi: StatusModel.HistoryRecord[] = [...saved.fromApi];
  let summary: OrderSummary | undefined = saved.summary;
  let stopped = saved.stopped ?? false;
  let socket: OrderClient | undefined;
  /** A socket is open or being opened (set before openPageClient, which reports its first state at once). */
  let following = false;
  let ending: Ending | undefined;
  let disposed = false;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const persist = () => {
    if (!disposed) storage.save({ ...saved, statuses: timeline.statuses, fromApi, summary, stopped });
  };
  const say = (text: string) => announce(`Order ${shortId}: ${text}`);
  const lastHeard = () => {
    const last = card.latest;
    return last
      ? `Last we heard (${formatDateTime(last.occurredAt)}): ${STATUS_LABELS[last.status].toLowerCase()}.`
      : "";
  };
  /** Shows a status; announces it if it is news (not one restored from storage). */
  const show = (entry: Protocol.StatusFrame | StatusModel.HistoryRecord, news: boolean) => {
    if (!card.add(entry) || !news) return;
    say(
      StatusModel.isTerminal(entry.status)
        ? (outcomeOf([...fromApi, ...timeline.statuses, entry], summary)?.text ?? STATUS_LABELS[entry.status])
        : `${STATUS_LABELS[entry.status]}.`,
    );
  };
  card.setSummary(summary);
  for (const entry of timeline.statuses) show(entry, false);
  for (const entry of fromApi) show(entry, false);
  card.setSummary(summary); // the order date may come from the `placed` status

  const stopCountdown = () => {
    clearInterval(countdown);
    countdown = undefined;
  };
  const stopSocket = () => {
    following = false;
    stopCountdown();
    const current = socket;
    socket = undefined;
    current?.stop();
  };

  /** The order has reached its end: the card says so. */
  const showFinished = () => {
    ending = undefined;
    card.setMode("finished");
    card.setConnection("finished", "Updates complete", undefined);
  };
  const finish = () => {
    stopSocket();
    showFinished();
  };
  /** Live updates are over without an outcome: said once, on the card and to screen readers. */
  const end = (why: Ending, text: string) => {
    stopSocket();
    ending = why;
    card.setMode(why === "expired" ? "expired" : "ended");
    card.setConnection("stopped", "Not live");
    card.setNotice(text);
    say(text);
  };

  /** Takes in the order as the HTTP API has it; one read at a time (a read under way answers a second ask). */
  let reading: Promise<"found" | "gone" | "unreachable"> | undefined;
  function readOrder() {
    reading ??= readOrderOnce().finally(() => (reading = undefined));
    return reading;
  }
  async function readOrderOnce(): Promise<"found" | "gone" | "unreachable"> {
    const token = tokenOf(clientCallbackUrl);
    if (!token) return disposed ? "unreachable" : "gone";
    const result = await getOrder({ baseUrl: apiBaseUrl, orderId, token });
    if (disposed) return "unreachable";
    // 403: the token is expired or not this order's; 404: erased or past retention. Asking again cannot help.
    if (!result.ok) return result.status === 403 || result.status === 404 ? "gone" : "unreachable";
    const { order } = result;
    fromApi = order.history;
    const shippingAddress = summary?.shippingAddress; // the API shows a link holder no address
    const country = shippingAddress?.country ?? summary?.country;
    summary = {
      basket: order.basket,
      amount: order.amount,
      shippingAddress,
      ...(country ? { country } : {}),
      placedAt: order.placedAt,
    };
    card.setSummary(summary);
    for (const entry of order.history) show(entry, true);
    persist();
    if (order.terminal) {
      card.setNotice(undefined);
      finish();
    }
    return "found";
  }

  /** The socket could not open (or the token has expired): what the HTTP API says instead. */
  async function fallBack(why: "expired" | "open-failed") {
    const read = await readOrder();
    if (disposed || card.terminal) return;
    if (why === "expired") return end("expired", NOTICES.expired(lastHeard(), shortId));
    if (!following) return; // ended meanwhile (the read below found the link dead, or the customer stopped)
    if (read === "gone") return end("ended", NOTICES.ended(lastHeard(), shortId));
    card.setNotice(read === "found" ? NOTICES.paused(formatClock(new Date())) : NOTICES.unreachable(lastHeard()));
  }

  /** "Check again": reads the order once, whatever the state of live updates. */
  async function checkAgain() {
    const read = await readOrder();
    if (disposed || card.terminal) return;
    const at = formatClock(new Date());
    const last = card.latest;
    const text =
      read === "found"
        ? NOTICES.checked(at, last ? STATUS_LABELS[last.status].toLowerCase() : "order placed")
        : read === "gone"
          ? NOTICES.unknown(at, shortId)
          : NOTICES.checkFailed(at);
    if (following) return; // live again meanwhile: the socket keeps the card current
    card.setNotice(text);
    say(text);
  }

  const onState = (state: ConnectionState) => {
    if (!following || state.kind === "closed") return;
    stopCountdown();
    const opens = socket?.opens;
    if (state.kind === "connecting") {
      card.setMode("watching");
      card.setConnection("connecting", state.attempt === 0 ? "Connecting…" : "Reconnecting…", opens);
    }
    if (state.kind === "live") {
      card.setNotice(undefined);
      card.setMode("watching");
      card.setConnection("live", "Live", opens);
    }
    if (state.kind === "reconnecting") {
      // Counts down to the next attempt, a second at a time ("Reconnect now" skips the wait).
      const at = Date.now() + state.inMs;
      const tick = () =>
        card.setConnection(
          "reconnecting",
          `Connection lost — trying again in ${Math.max(1, Math.ceil((at - Date.now()) / 1000))} s`,
          opens,
        );
      tick();
      countdown = setInterval(tick, 1000);
      card.setMode("reconnecting");
    }
  };

  function openSocket() {
    ending = undefined;
    following = true;
    socket = openPageClient({
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
          void fallBack("open-failed");
        },
        onFinished() {
          // The socket is left to the client, which keeps it open a while (`lingerMs`) for a status that
          // happened before the terminal one but was recorded after it (EventBridge does not order
          // events), then closes it itself; the card no longer shows the connection's ups and downs.
          const opens = socket?.opens;
          following = false;
          stopCountdown();
          showFinished();
          if (opens !== undefined) card.setConnection("finished", "Updates complete", opens);
        },
        onProtocolError(code, message) {
          // Not for customers' eyes: the socket handles what can be handled (see page-client.ts).
          console.warn(`Order ${orderId}: the server sent error ${code}: ${message}`);
        },
      },
    });
  }

  if (card.terminal && !timeline.hasGap) {
    finish();
  } else if (stopped) {
    // What the customer last saw may be old: read the order once, without going live.
    end("stopped", NOTICES.stopped(lastHeard()));
    void readOrder().then((read) => {
      if (read === "found" && !card.terminal && ending === "stopped") card.setNotice(NOTICES.stopped(lastHeard()));
    });
  } else if (tokenExpired(clientCallbackUrl)) {
    card.setConnection("offline", "Checking…");
    void fallBack("expired");
  } else {
    openSocket();
    // Opened from a link: what was bought comes from the API, which also tells a dead link at once.
    if (!summary)
      void readOrder().then(
        (read) => read === "gone" && following && end("ended", NOTICES.ended(lastHeard(), shortId)),
      );
    persist();
  }

  return {
    orderId,
    /** "Stop watching": live updates end, the card and what it shows stay. */
    stop() {
      if (stopped) return;
      stopped = true;
      end("stopped", NOTICES.stopped(lastHeard()));
      persist();
    },
    /** "Resume watching": live again, from the cursor. */
    resume() {
      if (following || card.terminal) return;
      stopped = false;
      card.setNotice(undefined);
      persist();
      openSocket();
    },
    checkAgain,
    /** The page is dropping the order ("Remove", or removed in another tab). */
    dispose() {
      disposed = true;
      stopSocket();
    },
    reconnectNow: () => socket?.reconnectNow(),
    /** The browser went offline: the socket may be dead without a close; give it up and wait to reconnect. */
    connectionLost: () => socket?.connectionLost(),
  };
}
export type OrderWatch = ReturnType<typeof followOrderOnCard>;
