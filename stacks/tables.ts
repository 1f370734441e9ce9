/**
 * How a stage keeps its tables. Every table's name is CloudFormation's (`<stack>-<id>-<random>`), so
 * a removed stage deploys again and a change that replaces a table deploys at all (a fixed name would
 * fail with "already exists" in both cases). A stage that keeps data (any stage not deployed with
 * DISPOSABLE_STAGE=true) has its tables retained on removal and
 * on replacement, with point-in-time recovery and deletion protection; what was retained can be adopted
 * again by name at deploy (docs/deploy-and-operate.md, "Names, settings and what a stage keeps").
 */
import { RemovalPolicy, type Stack } from "aws-cdk-lib";
import { Table as DynamoDBTable } from "aws-cdk-lib/aws-dynamodb";
import type { TableProps } from "sst/constructs";

/** The `cdk.table` settings of a table the stack creates. */
export const tableStorage = (keepsData: boolean) =>
  keepsData
    ? { tableName: undefined, removalPolicy: RemovalPolicy.RETAIN, pointInTimeRecovery: true, deletionProtection: true }
    : { tableName: undefined, removalPolicy: RemovalPolicy.DESTROY, pointInTimeRecovery: false };

/**
 * The table the stack creates, or, when the environment variable `adoptVariable` names an existing
 * table (one a removed or replaced stage retained), that table as it is: the stack then
 * grants access to it and leaves it alone on removal.
 */
export function createdOrAdopted(
  stack: Stack,
  id: string,
  adoptVariable: string,
  props: TableProps,
  keepsData: boolean,
): TableProps {
  const adopted = process.env[adoptVariable];
  if (!adopted)
    return { ...props, cdk: { ...props.cdk, table: { ...tableStorage(keepsData), ...(props.cdk?.table ?? {}) } } };
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(adopted))
    throw new Error(`${adoptVariable} is not a DynamoDB table name: "${adopted}"`);
  return { cdk: { table: DynamoDBTable.fromTableName(stack, `${id}Adopted`, adopted) } };
}
