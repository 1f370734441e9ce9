/** The DynamoDB document client the stores use. Callers create it once per container. */
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Endpoint overrides come from `AWS_ENDPOINT_URL_DYNAMODB`, which the SDK reads itself. */
export function documentClient(config: DynamoDBClientConfig = {}) {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
