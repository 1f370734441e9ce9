/** The callback-token secret and stage the benchmark's runtime uses, so the benchmark can sign callback URLs. */
import * as CallbackToken from "@awsomepets/core/callbacks/token";

export const BENCH_TOKEN_SECRET = "bench-token-secret-0123456789abcdefghijklmnop";
export const BENCH_STAGE = "bench";

export const signedCallbackUrl = (websocketUrl: string, orderId: string) =>
  CallbackToken.callbackUrl({
    websocketUrl,
    orderId,
    token: CallbackToken.sign({ orderId, stage: BENCH_STAGE, secret: BENCH_TOKEN_SECRET }),
  });
