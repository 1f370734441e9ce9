/** The event EventBridge delivers to rule targets: the platform's envelope around an entry's detail. */
export interface EventBridgeEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  /** ISO-8601 UTC without milliseconds, as EventBridge writes it: "2017-12-22T18:43:48Z". */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** EventBridge's `time` format: whole seconds, no milliseconds. */
export function formatEventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
