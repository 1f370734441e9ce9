/** The account and region every emulator uses unless told otherwise (ARNs, event envelopes, Lambda contexts). */
export const DEFAULT_ACCOUNT = "000000000000";
export const DEFAULT_REGION = "us-east-1";
