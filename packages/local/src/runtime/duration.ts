/** `800ms`, `1.5s`, `2m` or a bare number of milliseconds → milliseconds; null when unreadable. */
const UNITS: Record<string, number> = { "": 1, ms: 1, s: 1000, m: 60_000 };

export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) return null;
  return Math.round(Number(match[1]) * UNITS[match[2] ?? ""]!);
}
