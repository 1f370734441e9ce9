/// <reference lib="dom.iterable" />
/**
 * The order form: a quantity per pet from the catalogue, a card token and an address. The API is
 * the validator; its field errors are shown next to the fields they name (see field-errors.ts).
 */
import type { FieldError, OrderRequest, Pet } from "./api-client";
import { BASKET_FIELD, FORM_FIELD, groupFieldErrors, quantityField } from "./field-errors";
import type { OrderDraft } from "./presets";
import { formatAmount } from "./status-text";

export type FormSubmission = { request: OrderRequest; sentSkus: string[] };

const ADDRESS_FIELDS = ["name", "line1", "city", "postalCode", "country"] as const;

export function createOrderForm(form: HTMLFormElement) {
  const petList = form.querySelector<HTMLElement>("#pet-list")!;
  const formError = form.querySelector<HTMLElement>("#form-error")!;
  const submitButton = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  let pets: Pet[] = [];

  const control = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  const errorSlot = (field: string) =>
    field === BASKET_FIELD ? form.querySelector<HTMLElement>("#basket-error") : form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`);
  const knownFields = () => new Set([...form.querySelectorAll<HTMLInputElement>("input[name]")].map((input) => input.name));

  function renderCatalogue(catalogue: Pet[]) {
    pets = catalogue;
    petList.replaceChildren(
      ...catalogue.map((pet) => {
        const id = `qty-${pet.sku}`;
        const row = document.createElement("div");
        row.className = "pet";
        row.innerHTML = `<label></label><input type="number" inputmode="numeric" min="0" max="99" step="1" value="0"><p class="field-error"></p>`;
        const label = row.querySelector("label")!;
        label.htmlFor = id;
        label.append(
          Object.assign(document.createElement("span"), { className: "pet-name", textContent: pet.name }),
          Object.assign(document.createElement("span"), { className: "pet-meta", textContent: `${pet.species} · ${formatAmount(pet.price)}` }),
        );
        label.title = pet.description;
        const input = row.querySelector("input")!;
        Object.assign(input, { id, name: quantityField(pet.sku) });
        const error = row.querySelector<HTMLElement>(".field-error")!;
        error.id = `${id}-error`;
        error.dataset.errorFor = input.name;
        input.setAttribute("aria-describedby", error.id);
        return row;
      }),
    );
    petList.removeAttribute("aria-busy");
  }

  function showCatalogueError(message: string) {
    petList.removeAttribute("aria-busy");
    petList.textContent = message;
  }

  function read(): FormSubmission {
    const basket: OrderRequest["basket"] = [];
    for (const pet of pets) {
      const raw = control(quantityField(pet.sku))?.value.trim() ?? "";
      // Anything other than empty or 0 is sent as typed: the API says what is wrong with it.
      if (raw !== "" && Number(raw) !== 0) basket.push({ sku: pet.sku, quantity: Number(raw) });
    }
    const value = (name: string) => control(name)?.value.trim() ?? "";
    const shippingAddress = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, value(`shippingAddress.${f}`)])) as OrderRequest["shippingAddress"];
    shippingAddress.country = shippingAddress.country.toUpperCase();
    return {
      request: { basket, paymentDetail: { cardToken: value("paymentDetail.cardToken") }, shippingAddress },
      sentSkus: basket.map((line) => line.sku),
    };
  }

  function apply(draft: OrderDraft) {
    clearErrors();
    for (const pet of pets) {
      const input = control(quantityField(pet.sku));
      if (input) input.value = String(draft.quantities[pet.sku] ?? 0);
    }
    control("paymentDetail.cardToken")!.value = draft.cardToken;
    for (const f of ADDRESS_FIELDS) control(`shippingAddress.${f}`)!.value = draft.shippingAddress[f];
  }

  function clearErrors() {
    formError.textContent = "";
    formError.hidden = true;
    for (const slot of form.querySelectorAll<HTMLElement>(".field-error")) slot.textContent = "";
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  function showFormError(message: string) {
    formError.hidden = false;
    formError.textContent = message;
  }

  /** Puts each message next to its field, and moves the focus to the first one (keyboard users land on it). */
  function showErrors(message: string, errors: readonly FieldError[], sentSkus: readonly string[]) {
    clearErrors();
    const grouped = groupFieldErrors(errors, sentSkus, knownFields());
    let first: HTMLElement | undefined;
    for (const [field, text] of grouped) {
      if (field === FORM_FIELD) continue;
      const slot = errorSlot(field);
      if (slot) slot.textContent = text;
      const input = field === BASKET_FIELD ? petList.querySelector("input") : control(field);
      input?.setAttribute("aria-invalid", "true");
      first ??= input ?? undefined;
    }
    const general = grouped.get(FORM_FIELD);
    showFormError(general ? `${message}: ${general}` : `${message}: please correct the highlighted fields.`);
    first?.focus();
  }

  function setBusy(busy: boolean) {
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", String(busy));
  }

  return { renderCatalogue, showCatalogueError, read, apply, clearErrors, showErrors, showFormError, setBusy };
}
export type OrderForm = ReturnType<typeof createOrderForm>;
