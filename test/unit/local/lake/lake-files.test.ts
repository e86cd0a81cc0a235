import { compareSequenceNumbers, lakeFileName, parseLakeFileName } from '../../../../src/local/lake/lake-files';

describe('lake file names', () => {
  it('name a flush by shard, sequence range and part, and read back the same', () => {
    const name = {
      shardId: 'shardId-000000000001',
      firstSequenceNumber: '49680671046460320639560352230063735311267164877588791314',
      lastSequenceNumber: '49680671046460320639560352230945042233766229545949593618',
      part: 2,
      parts: 3,
    };
    const fileName = lakeFileName(name);
    expect(fileName).toBe(`shardId-000000000001_${name.firstSequenceNumber}_${name.lastSequenceNumber}_2of3.parquet`);
    expect(parseLakeFileName(fileName)).toEqual(name);
  });

  it.each(['notes.txt', 'shardId-0_1_2_3of2.parquet', 'shardId-0_1_2_0of2.parquet', 'shardId-0_1_2_1of1.parquet.abcd.tmp'])(
    'ignores %s, which the writer never produces',
    (fileName) => {
      expect(parseLakeFileName(fileName)).toBeUndefined();
    },
  );
});

describe('compareSequenceNumbers', () => {
  it('orders by length first, then digit by digit, as numbers of any length', () => {
    const sorted = ['100', '99', '49680671046460320639560352230945042233766229545949593618', '7', '101'].sort(compareSequenceNumbers);
    expect(sorted).toEqual(['7', '99', '100', '101', '49680671046460320639560352230945042233766229545949593618']);
    expect(compareSequenceNumbers('42', '42')).toBe(0);
  });
});
