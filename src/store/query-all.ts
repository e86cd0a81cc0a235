/**
 * Every item of a Query, through the SDK's paginator: DynamoDB answers at most 1 MB per call.
 */
import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** The items of every page of `input`, in key order. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  pageSize?: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client, pageSize }, input)) items.push(...(page.Items ?? []));
  return items;
}
