/**
 * Factories for the SDK clients the core needs, as one namespace. Each lives in its own module
 * (handlers import those directly, so a function bundles only the clients it calls).
 */
export { documentClient } from "./document-client";
export { managementClient } from "../delivery/management-client";
export { MANAGEMENT_TIMEOUTS } from "./deadline";

/** Bounding AWS calls by the time an invocation has left. */
export { DEADLINE_RESERVE_MS, deadlineSignal, msLeft } from "./deadline";
