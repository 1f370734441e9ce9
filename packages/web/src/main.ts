/// <reference lib="dom.iterable" />
/** The order tracker page: wires the form, the watched orders and their storage together. */
import { createApiClient } from "./api-client";
import { apiBase } from "./config";
import { createOrderForm } from "./order-form";
import { watchOrder, type OrderWatch } from "./order-watch";
import { isPresetName, PRESETS } from "./presets";
import { createOrderStorage, type WatchedOrder } from "./storage";
import { createOrderCard } from "./timeline-view";

const api = createApiClient(apiBase());
const storage = createOrderStorage(sessionStorageOrUndefined());
const watches = new Map<string, OrderWatch>();

const formElement = document.querySelector<HTMLFormElement>("#order-form")!;
const ordersElement = document.querySelector<HTMLElement>("#orders")!;
const noOrders = document.querySelector<HTMLElement>("#no-orders")!;
const form = createOrderForm(formElement);

function sessionStorageOrUndefined() {
  try {
    return window.sessionStorage; // throws where storage is disabled
  } catch {
    return undefined;
  }
}

function watch(saved: WatchedOrder) {
  const card = createOrderCard(saved.orderId, {
    onRemove() {
      watches.get(saved.orderId)?.stop();
      watches.delete(saved.orderId);
      storage.remove(saved.orderId);
      card.element.remove();
      noOrders.hidden = watches.size > 0;
      formElement.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
    },
  });
  ordersElement.prepend(card.element); // newest first
  noOrders.hidden = true;
  watches.set(saved.orderId, watchOrder({ saved, api, storage, card }));
  return card;
}

for (const button of document.querySelectorAll<HTMLButtonElement>("[data-preset]")) {
  button.addEventListener("click", () => {
    const name = button.dataset.preset;
    if (isPresetName(name)) form.apply(PRESETS[name].draft);
  });
}

formElement.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { request, sentSkus } = form.read();
  form.clearErrors();
  form.setBusy(true);
  try {
    const result = await api.placeOrder(request, crypto.randomUUID());
    if (result.kind === "invalid") return form.showErrors(result.message, result.errors, sentSkus);
    if (result.kind === "refused") return form.showFormError(result.message);
    const { orderId, clientCallbackUrl } = result.order;
    const card = watch({ orderId, clientCallbackUrl, addedAt: new Date().toISOString(), statuses: [], fromApi: [] });
    card.element.scrollIntoView({ block: "nearest" });
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
  .catch((error: unknown) => form.showCatalogueError(error instanceof Error ? error.message : String(error)));
