/**
 * Redrive of the local EventBridge's dead-letter log (packages/aws-local): `GET /dead-letters`
 * lists it, `POST /dead-letters/redrive` sends each entry to its rule's target again and removes it.
 */
import { describeEvent, redriveNote } from "./dead-letter-message";

type DeadLetter = { ruleName: string; event: Record<string, unknown>; reason: string; lastError?: string };

async function call(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(
      `${init?.method ?? "GET"} ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
  return response.json();
}

export async function redriveLocal(options: { eventsEndpoint: string; dryRun: boolean; out: (line: string) => void }) {
  const { eventsEndpoint, dryRun, out } = options;
  const deadLetters = dryRun
    ? ((await call(`${eventsEndpoint}/dead-letters`)) as DeadLetter[])
    : ((await call(`${eventsEndpoint}/dead-letters/redrive`, { method: "POST" })) as { redriven: DeadLetter[] })
        .redriven;
  for (const d of deadLetters)
    out(
      `${dryRun ? "would redrive" : "redriven"} ${d.ruleName} ${describeEvent(d.event)} ${redriveNote(d.reason, d.lastError)}`,
    );
  return { redriven: deadLetters.length, skipped: 0 };
}
