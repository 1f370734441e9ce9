/** Factories for the SDK clients the core needs. Callers create them once per container. */
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";

/** Endpoint overrides come from `AWS_ENDPOINT_URL_DYNAMODB`, which the SDK reads itself. */
export function documentClient(config: DynamoDBClientConfig = {}) {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The `@connections` client of one WebSocket stage, e.g. `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`. */
export function managementClient(endpoint: string) {
  return new ApiGatewayManagementApiClient({ endpoint });
}
