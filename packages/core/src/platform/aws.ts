/**
 * Factories for the SDK clients the core needs, as one namespace (`Aws.documentClient()`). Each
 * lives in its own module; esbuild keeps only the one a function calls.
 */
export { documentClient } from "./document-client";
export { managementClient } from "../delivery/management-client";
