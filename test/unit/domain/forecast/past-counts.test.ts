import { FORECAST_HISTORY_DAYS, forecastHistoryDaySpan, PastCounts, pastCountsBefore } from '../../../../src/domain/forecast/past-counts';
import { bucketStart } from '../../../../src/domain/time';

const ones = (): number[] => new Array<number>(24).fill(1);

describe('pastCountsBefore', () => {
  it("keeps whole days before from's day only, zero-filling days without an item", () => {
    const items = ['2023-02-10', '2023-02-12', '2023-02-13', '2023-02-14'].map((bucketKey) => ({ bucketKey, tripsByHourOfDay: ones() }));
    const past = pastCountsBefore(bucketStart('2023-02-13T09', 'HOUR'), items);
    expect(past.days.map((day) => day.dayKey)).toEqual(['2023-02-10', '2023-02-11', '2023-02-12']);
    expect(past.days[1].perHour.every((value) => value === 0)).toBe(true);
    expect(past.days[0].weekday).toBe(4); // a Friday
    expect(past.span()).toEqual({ fromMs: bucketStart('2023-02-10', 'DAY'), toMs: bucketStart('2023-02-13', 'DAY') });
  });

  it('starts at the data start when the caller knows it, and never reads more than 16 weeks', () => {
    const fromMs = bucketStart('2023-06-01', 'DAY');
    expect(pastCountsBefore(fromMs, [], { dataStartDay: '2023-05-25' }).days).toHaveLength(7);
    expect(pastCountsBefore(fromMs, [], { dataStartDay: '2022-01-01' }).days).toHaveLength(FORECAST_HISTORY_DAYS);
    expect(pastCountsBefore(fromMs, []).span()).toBeUndefined();
  });

  it('starts where the data really starts, after stray pickups dated weeks before (as TLC files carry)', () => {
    const busy = (bucketKey: string) => ({ bucketKey, tripsByHourOfDay: ones().map(() => 100) });
    const stray = { bucketKey: '2023-01-03', tripsByHourOfDay: [1, ...new Array<number>(23).fill(0)] };
    const past = pastCountsBefore(bucketStart('2023-02-13', 'DAY'), [stray, busy('2023-02-01'), busy('2023-02-02'), busy('2023-02-10')]);
    expect(past.days[0].dayKey).toBe('2023-02-01');
    expect(past.days).toHaveLength(12);
    // A sparse scope's quiet days are its data, not strays.
    const sparse = pastCountsBefore(bucketStart('2023-02-13', 'DAY'), [stray, { ...stray, bucketKey: '2023-02-10' }]);
    expect(sparse.days[0].dayKey).toBe('2023-01-03');
  });

  it('learns per real hour: the fall-back 01 bucket is halved, the missing spring 02 is null', () => {
    const counts = ones().map(() => 10);
    const fall = pastCountsBefore(bucketStart('2023-11-06', 'DAY'), [{ bucketKey: '2023-11-05', tripsByHourOfDay: counts }]);
    expect(fall.days[0].perHour[1]).toBe(5);
    expect(fall.days[0].perHour[2]).toBe(10);
    const spring = pastCountsBefore(bucketStart('2024-03-11', 'DAY'), [{ bucketKey: '2024-03-10', tripsByHourOfDay: counts }]);
    expect(spring.days[0].perHour[2]).toBeNull();
    expect(spring.days[0].perHour[3]).toBe(10);
  });

  it('can hold one hour of day (what demandPressure reads)', () => {
    const past = pastCountsBefore(
      bucketStart('2023-02-13T18', 'HOUR'),
      [{ bucketKey: '2023-02-12', tripsByHourOfDay: ones().map((_, hour) => hour) }],
      {
        hoursOfDay: [18],
      },
    );
    expect(past.days[0].perHour).toEqual([18]);
  });

  it('cannot be built any other way', () => {
    const Construct = PastCounts as unknown as new (...args: unknown[]) => PastCounts;
    expect(() => new Construct(Symbol('PastCounts'), 0, [], [])).toThrow(/pastCountsBefore/);
  });
});

describe('forecastHistoryDaySpan', () => {
  it("names the DAY items a reader fetches: the 112 days before from's day", () => {
    expect(forecastHistoryDaySpan(bucketStart('2023-02-22T10', 'HOUR'))).toEqual(['2022-11-02', '2023-02-21']);
  });
});
