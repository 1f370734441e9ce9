/**
 * The frames API Gateway itself sends a client when a message cannot be served. Clients sometimes match
 * on this exact text, so it keeps API Gateway's spacing (a space after the first colon only).
 * The throttle frame's shape is checked on a disposable stage by `npm run smoke -- --probe-throttle`
 * (throttle-frame).
 */
export function gatewayErrorFrame(
  message: "Forbidden" | "Internal server error" | "Too Many Requests",
  connectionId: string,
  requestId: string,
) {
  return `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`;
}
