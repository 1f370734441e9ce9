/**
 * `800ms`, `1.5s`, `2m` (or a bare `0`) → milliseconds; null when unreadable. The unit is required:
 * a bare `2` could mean 2 ms or 2 s, and silently picking one surprises half of the readers.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^0+(\.0+)?$/.test(trimmed)) return 0;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(trimmed);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}
