/**
 * Country names in the customer's language, for the shipping country picker and the order cards; codes are ISO 3166-1
 * alpha-2.
 */
import * as Countries from "@awsomepets/core/orders/countries";

const displayNames = new Map<string, Intl.DisplayNames | undefined>();
function namesFor(locale: string | undefined) {
  const key = locale ?? "";
  if (!displayNames.has(key)) {
    try {
      displayNames.set(
        key,
        new Intl.DisplayNames(locale ? [locale, "en"] : undefined, { type: "region", fallback: "none" }),
      );
    } catch {
      displayNames.set(key, undefined); // a browser without Intl.DisplayNames: codes are shown as they are
    }
  }
  return displayNames.get(key);
}

/** "PT" → "Portugal" (en), "Portugal" (de); undefined for a code that names no country. */
export function countryName(code: string, locale?: string): string | undefined {
  try {
    return namesFor(locale)?.of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Every country, sorted by its name as the customer's language sorts it. */
export function countryOptions(locale?: string) {
  const collator = new Intl.Collator(locale);
  return Countries.COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) ?? code })).sort((a, b) =>
    collator.compare(a.name, b.name),
  );
}
