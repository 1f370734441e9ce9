/** `EventBusName` of a PutEvents entry: a name, an event-bus ARN, or absent for the default bus. */
export const DEFAULT_BUS = "default";

const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;

/** The bus name an entry addresses (ARNs are reduced to their name; account and region are not checked). */
export function resolveBusName(eventBusName: string | undefined): string {
  if (eventBusName === undefined || eventBusName === "") return DEFAULT_BUS;
  return EVENT_BUS_ARN.exec(eventBusName)?.[1] ?? eventBusName;
}
