import { Logger } from "@aws-lambda-powertools/logger";

/** One logger per container; `POWERTOOLS_SERVICE_NAME`/`POWERTOOLS_LOG_LEVEL` tune it. */
export const logger = new Logger({ serviceName: "order-callbacks" });
