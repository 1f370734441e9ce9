/** The small HTTP kit the emulators share. */
export { readBody, BodyTooLargeError } from "./body";
export { sendJson, sendAwsError, CONTENT_TYPES, type AwsProtocol } from "./aws-json";
export { listen, closeServer, PortInUseError } from "./listen";
export { createEmulatorServer } from "./server";
