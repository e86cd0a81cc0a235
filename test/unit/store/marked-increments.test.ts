import { MAX_ATTRIBUTES_PER_UPDATE, MAX_EXPRESSION_BYTES, markedUpdateInput } from '../../../src/store/marked-increments';

describe('markedUpdateInput', () => {
  const key = { pk: 'AGG#ZONE#074#DAY', sk: '2023-02-01' };
  const sumsOf = (count: number) => new Map(Array.from({ length: count }, (_, index) => [`u${(index + 1000).toString(36)}`, index + 1]));
  const chunk = (sums: Map<string, number>) => ({ firstSequenceNumber: '12', lastSequenceNumber: '15', sums });

  it('keeps an update of the most attributes it may name inside the 4 KB expression limit of DynamoDB', () => {
    // Act
    const input = markedUpdateInput('taxi-pulse', key, 'shardId-000000000001', chunk(sumsOf(MAX_ATTRIBUTES_PER_UPDATE)));

    // Assess
    expect(Buffer.byteLength(input.UpdateExpression!)).toBeLessThanOrEqual(MAX_EXPRESSION_BYTES);
    expect(Buffer.byteLength(input.UpdateExpression!)).toBe(3149);
    expect(Object.keys(input.ExpressionAttributeNames!)).toHaveLength(MAX_ATTRIBUTES_PER_UPDATE + 1);
    // Placeholders are unique and never the mark's.
    expect(new Set(Object.keys(input.ExpressionAttributeValues!)).size).toBe(MAX_ATTRIBUTES_PER_UPDATE + 2);
  });

  it('adds every non-zero sum, sets the mark to the last record on condition it is below the first', () => {
    // Act
    const input = markedUpdateInput(
      'taxi-pulse',
      key,
      'shardId-000000000001',
      chunk(
        new Map([
          ['n', 3],
          ['px', 0],
          ['f', 1200],
        ]),
      ),
    );

    // Assess
    expect(input).toEqual({
      TableName: 'taxi-pulse',
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      UpdateExpression: 'SET #mark = :last ADD #0 :0,#1 :1',
      ConditionExpression: 'attribute_not_exists(#mark) OR #mark < :first',
      ExpressionAttributeNames: { '#mark': 'mark1', '#0': 'n', '#1': 'f' },
      ExpressionAttributeValues: { ':first': { S: '00212' }, ':last': { S: '00215' }, ':0': { N: '3' }, ':1': { N: '1200' } },
      ReturnConsumedCapacity: 'TOTAL',
    });
  });

  it('refuses to build an update of more attributes than it may name', () => {
    expect(() => markedUpdateInput('taxi-pulse', key, 'shardId-000000000001', chunk(sumsOf(MAX_ATTRIBUTES_PER_UPDATE + 1)))).toThrow(
      /more than 400 attributes/,
    );
  });
});
