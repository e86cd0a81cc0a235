import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { existsSync } from 'node:fs';
import { STREAM_DEFINITION } from '../../../../src/ingest/stream-definition';
import { startScratchEmulators } from '../../../../src/local/emulators/scratch-emulators';

describe('startScratchEmulators', () => {
  it('creates the table and stream it is given, and stop() leaves nothing behind', async () => {
    // Act
    const scratch = await startScratchEmulators({
      dirPrefix: 'taxi-pulse-scratch-',
      resources: { tableName: 'scratch', streamName: 'scratch-trips' },
    });
    const table = await scratch.clients.dynamodb.send(new DescribeTableCommand({ TableName: 'scratch' }));
    const stream = await scratch.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'scratch-trips' }));
    await scratch.stop();

    // Assess
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(stream.StreamDescriptionSummary?.OpenShardCount).toBe(STREAM_DEFINITION.shardCount);
    expect(existsSync(scratch.dataDir)).toBe(false);
  });
});
