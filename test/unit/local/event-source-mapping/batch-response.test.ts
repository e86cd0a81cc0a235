import { interpretBatchResponse } from '../../../../src/local/event-source-mapping/batch-response';

const batch = ['100', '200', '300'];

describe('interpretBatchResponse', () => {
  it.each([undefined, null, {}, { batchItemFailures: [] }, { batchItemFailures: null }])('treats %p as a success', (response) => {
    // Act
    const outcome = interpretBatchResponse(response, batch);

    // Assess
    expect(outcome).toEqual({ kind: 'success' });
  });

  it('resumes at the lowest reported sequence number', () => {
    // Act
    const outcome = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] }, batch);

    // Assess
    expect(outcome).toEqual({ kind: 'partial', failedIndex: 1 });
  });

  it.each([
    ['a string', 'oops'],
    ['a list', []],
    ['a non-list batchItemFailures', { batchItemFailures: 'all' }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a missing itemIdentifier', { batchItemFailures: [{ id: '100' }] }],
    ['a null entry', { batchItemFailures: [null] }],
    ['an identifier outside the batch', { batchItemFailures: [{ itemIdentifier: '999' }] }],
  ])('fails the whole batch on %s', (_name, response) => {
    // Act
    const outcome = interpretBatchResponse(response, batch);

    // Assess
    expect(outcome.kind).toBe('failure');
  });
});
