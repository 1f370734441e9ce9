/** What the page reads from a `clientCallbackUrl`: the order id and the signed token (docs/protocol.md). */

/** The `token` query parameter: also the credential for `GET /orders/{orderId}`. */
export function tokenOf(clientCallbackUrl: string): string | undefined {
  try {
    return new URL(clientCallbackUrl).searchParams.get("token") ?? undefined;
  } catch {
    return undefined;
  }
}

/** The `orderId` query parameter. */
export function orderIdOf(clientCallbackUrl: string): string | undefined {
  try {
    return new URL(clientCallbackUrl).searchParams.get("orderId") ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The token's expiry in epoch milliseconds, if it has a documented form (docs/protocol.md): the third
 * part of `v2.<keyId>.<expiresAt>.<signature>`, or the first of the legacy `<expiresAt>.<signature>`
 * (handed out before v2, valid for at most a day after).
 */
export function tokenExpiresAt(token: string | undefined): number | undefined {
  const match = /^(?:v2\.[A-Za-z0-9_-]+\.)?(\d{1,12})\./.exec(token ?? "");
  return match ? Number(match[1]) * 1000 : undefined;
}

export function tokenExpired(clientCallbackUrl: string, now = Date.now()): boolean {
  const expiresAt = tokenExpiresAt(tokenOf(clientCallbackUrl));
  return expiresAt !== undefined && expiresAt <= now;
}
