/**
 * Factories for the SDK clients the core needs, as one namespace. Each lives in its own module
 * (handlers import those directly, so a function bundles only the clients it calls).
 */
export { documentClient } from "./document-client";
export { MANAGEMENT_TIMEOUTS, managementClient } from "../delivery/management-client";

/** Bounding AWS calls by the time an invocation has left. */
export { deadlineSignal, msLeft } from "./deadline";
