/** The page reconnects as the client package does. */
export { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelay } from "@awsomepets/client";
