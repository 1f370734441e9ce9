/** The page reconnects as the client package does. */
export * from "@awsomepets/client/reconnect-delay";
