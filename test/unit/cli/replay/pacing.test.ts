import fc from 'fast-check';
import { DEFAULT_MAX_PICKUP_GAP_MS, pacingOffsets, sendGroups } from '../../../../src/cli/replay/pacing';

const HOUR_MS = 3_600_000;
const at = (iso: string): number => Date.parse(`${iso}Z`);

describe('pacingOffsets', () => {
  it('sends one hour of pickups per second at speedup 3600', () => {
    // Prepare
    const pickups = [at('2023-02-01T08:00:00'), at('2023-02-01T08:30:00'), at('2023-02-01T09:00:00'), at('2023-02-01T11:00:00')];

    // Act
    const offsets = pacingOffsets(pickups, 3600);

    // Assess
    expect(offsets).toEqual([0, 500, 1000, 2000]);
  });

  it('returns offsets in input order when the pickups are not sorted', () => {
    // Prepare
    const pickups = [at('2019-03-20T16:30:11'), at('2019-03-01T18:43:31'), at('2019-03-01T19:43:31')];

    // Act
    const offsets = pacingOffsets(pickups, 60, Number.POSITIVE_INFINITY);

    // Assess: 18 days 21:46:40 after the first pickup is 1,633,600 s, divided by 60.
    expect(offsets).toEqual([1_633_600_000 / 60, 0, 60_000]);
  });

  it('caps the gap to an outlier at one hour of pickup time instead of waiting for years', () => {
    // Prepare: green 2020-10 holds a pickup on 2008-12-31.
    const pickups = [at('2020-10-01T00:31:19'), at('2008-12-31T23:12:22'), at('2020-10-01T00:32:19'), at('2031-01-01T00:00:00')];

    // Act
    const offsets = pacingOffsets(pickups, 3600);

    // Assess
    expect(DEFAULT_MAX_PICKUP_GAP_MS).toBe(HOUR_MS);
    expect(offsets).toEqual([1000, 0, 1000 + 60_000 / 3600, 2000 + 60_000 / 3600]);
  });

  it('gives equal pickups equal offsets, and an empty list no offsets', () => {
    // Act
    const offsets = pacingOffsets([5_000, 5_000, 5_000], 10);

    // Assess
    expect(offsets).toEqual([0, 0, 0]);
    expect(pacingOffsets([], 10)).toEqual([]);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses speedup %p', (speedup) => {
    // Act
    const pace = (): unknown => pacingOffsets([0, 1], speedup);

    // Assess
    expect(pace).toThrow(RangeError);
  });

  it('keeps pickup order and never spaces two trips wider than their pickups allow', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * 24 * HOUR_MS }), { maxLength: 200 }),
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        (pickups, speedup) => {
          // Act
          const offsets = pacingOffsets(pickups, speedup);

          // Assess
          const order = pickups.map((_, index) => index).sort((a, b) => pickups[a] - pickups[b] || a - b);
          if (order.length > 0) expect(offsets[order[0]]).toBe(0);
          for (let k = 1; k < order.length; k += 1) {
            const gap = offsets[order[k]] - offsets[order[k - 1]];
            expect(gap).toBeGreaterThanOrEqual(0);
            expect(gap).toBeLessThanOrEqual(Math.min(pickups[order[k]] - pickups[order[k - 1]], HOUR_MS) / speedup + 1e-6);
          }
        },
      ),
    );
  });
});

describe('sendGroups', () => {
  it('groups the trips due within one tick and sends each group when its last trip is due', () => {
    // Act
    const groups = sendGroups([0, 10, 99, 100, 150, 400], 100, 500);

    // Assess
    expect(groups).toEqual([
      { atMs: 100, start: 0, end: 4 },
      { atMs: 150, start: 4, end: 5 },
      { atMs: 400, start: 5, end: 6 },
    ]);
  });

  it('never puts more trips in a group than one call may carry', () => {
    // Act
    const groups = sendGroups(new Array(1_200).fill(0), 100, 500);

    // Assess
    expect(groups.map((group) => group.end - group.start)).toEqual([500, 500, 200]);
  });

  it('covers every trip once, in order, never early and at most one tick late', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 300 }).map((offsets) => offsets.sort((a, b) => a - b)),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 1, max: 50 }),
        (offsets, tickMs, maxGroupSize) => {
          // Act
          const groups = sendGroups(offsets, tickMs, maxGroupSize);

          // Assess
          let next = 0;
          for (const group of groups) {
            expect(group.start).toBe(next);
            expect(group.end - group.start).toBeGreaterThan(0);
            expect(group.end - group.start).toBeLessThanOrEqual(maxGroupSize);
            for (let index = group.start; index < group.end; index += 1) {
              expect(group.atMs).toBeGreaterThanOrEqual(offsets[index]);
              expect(group.atMs - offsets[index]).toBeLessThanOrEqual(tickMs);
            }
            next = group.end;
          }
          expect(next).toBe(offsets.length);
        },
      ),
    );
  });
});
