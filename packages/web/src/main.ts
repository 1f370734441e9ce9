/// <reference lib="dom.iterable" />
/** The order tracker page: wires the form, the watched orders and their storage together. */
import { createApiClient } from "./api-client";
import { apiBase } from "./config";
import { refusalText } from "./field-errors";
import { createOrderForm } from "./order-form";
import { watchOrder, type OrderWatch } from "./order-watch";
import { isPresetName, PRESETS } from "./presets";
import { createOrderStorage, type WatchedOrder } from "./storage";
import { createSubmissionKeys } from "./submission-key";
import { createOrderCard } from "./timeline-view";

const api = createApiClient(apiBase());
const storage = createOrderStorage(sessionStorageOrUndefined());
const watches = new Map<string, OrderWatch>();
const submissionKeys = createSubmissionKeys();

const formElement = document.querySelector<HTMLFormElement>("#order-form")!;
const ordersElement = document.querySelector<HTMLElement>("#orders")!;
const noOrders = document.querySelector<HTMLElement>("#no-orders")!;
const announcer = document.querySelector<HTMLElement>("#announcer")!;
const form = createOrderForm(formElement);

function sessionStorageOrUndefined() {
  try {
    return window.sessionStorage; // throws where storage is disabled
  } catch {
    return undefined;
  }
}

/** One polite live region for the whole page: each message is said once, in the order it came. */
function announce(text: string) {
  const line = document.createElement("p");
  line.textContent = text;
  announcer.append(line);
  while (announcer.childElementCount > 5) announcer.firstElementChild?.remove();
}

function watch(saved: WatchedOrder) {
  const existing = ordersElement.querySelector<HTMLElement>(`.order-card[data-order-id="${CSS.escape(saved.orderId)}"]`);
  if (existing) return existing; // a retry answered with an order already on the page
  const card = createOrderCard(saved.orderId, {
    onStop() {
      watches.get(saved.orderId)?.stop();
    },
    onRemove() {
      watches.get(saved.orderId)?.dispose();
      watches.delete(saved.orderId);
      storage.remove(saved.orderId);
      card.element.remove();
      noOrders.hidden = watches.size > 0;
      announce(`Order ${saved.orderId.slice(0, 8)} removed from this page.`);
      formElement.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
    },
  });
  ordersElement.prepend(card.element); // newest first
  noOrders.hidden = true;
  watches.set(saved.orderId, watchOrder({ saved, api, storage, card, announce }));
  return card.heading;
}

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-preset]")) {
  button.addEventListener("click", () => {
    const name = button.dataset.preset;
    if (isPresetName(name)) form.apply(PRESETS[name].draft);
  });
}

formElement.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { request, amount } = form.read();
  form.clearErrors();
  form.setBusy(true);
  try {
    const result = await api.placeOrder(request, submissionKeys.keyFor(request));
    if (result.kind === "invalid") return form.showErrors(result.errors, request);
    if (result.kind === "refused") {
      if (result.status === 422) submissionKeys.settled(); // the key belongs to another order
      return form.showFormError(refusalText(result.status));
    }
    submissionKeys.settled();
    const { orderId, clientCallbackUrl } = result.order;
    const addedAt = new Date().toISOString();
    const focusTarget = watch({
      orderId,
      clientCallbackUrl,
      addedAt,
      statuses: [],
      // The 202 says the order is placed: shown at once, and kept whatever happens to the link.
      fromApi: [{ status: "placed", occurredAt: addedAt }],
      summary: { basket: request.basket, amount, shippingAddress: request.shippingAddress },
    });
    // On a phone the orders are below the form: bring the new card into view (its top, as it grows
    // downwards), and the focus with it. Where it is in view already (side by side), nothing moves.
    const top = focusTarget.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) focusTarget.scrollIntoView({ block: "start" });
    focusTarget.focus({ preventScroll: true });
  } finally {
    form.setBusy(false);
  }
});

// Back online: do not wait out the backoff.
window.addEventListener("online", () => watches.forEach((w) => w.reconnectNow()));

for (const saved of storage.all()) watch(saved);

api
  .catalogue()
  .then((pets) => form.renderCatalogue(pets))
  .catch(() => form.showCatalogueError("We couldn't load the pets. Please reload the page to try again."));
