import fc from 'fast-check';
import {
  GRANULARITIES,
  Granularity,
  LocalDateTime,
  TimeBucketError,
  bucketKey,
  bucketKeySpanInRange,
  bucketKeysInRange,
  bucketStart,
  dayKeySpan,
  dayKeyToBucket,
  formatNewYork,
  instantToLocal,
  isoWeekdayOfDayKey,
  keysInSpanAtMost,
  localToInstant,
  newYorkOffsetMinutes,
  nextBucketKey,
  parseDateTime,
  splitHourKey,
} from '../../../src/domain/time';

const HOUR_MS = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);
const local = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond,
});

// An independent reference: Intl asked directly, on every call, with none of the module's caching.
const referenceFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function referenceLocal(epochMs: number): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of referenceFormat.formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

function referenceOffsetMinutes(epochMs: number): number {
  const l = referenceLocal(epochMs);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
  return (wall - epochMs) / 60_000;
}

function referenceKey(epochMs: number, granularity: Granularity): string {
  const l = referenceLocal(epochMs);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const day = `${l.year}-${p2(l.month)}-${p2(l.day)}`;
  switch (granularity) {
    case 'HOUR':
      return `${day}T${p2(l.hour)}`;
    case 'DAY':
      return day;
    case 'MONTH':
      return `${l.year}-${p2(l.month)}`;
    case 'WEEK': {
      const date = new Date(Date.UTC(l.year, l.month - 1, l.day));
      date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
      return date.toISOString().slice(0, 10);
    }
  }
}

/** The second pass of a fall-back hour: the only wall-clock times that name two instants. */
function isSecondPassOfFallBack(epochMs: number): boolean {
  return referenceOffsetMinutes(epochMs - HOUR_MS) > referenceOffsetMinutes(epochMs);
}

const instants2009To2030 = fc.integer({ min: utc('2009-01-01T00:00:00Z'), max: utc('2030-12-31T23:59:59.999Z') });
const granularities = fc.constantFrom(...GRANULARITIES);

describe('GRANULARITIES', () => {
  it('lists the four granularities from finest to coarsest', () => {
    // Act / Assess
    expect(GRANULARITIES).toEqual(['HOUR', 'DAY', 'WEEK', 'MONTH']);
  });
});

describe('newYorkOffsetMinutes', () => {
  it('gives -300 in winter and -240 in summer', () => {
    // Act / Assess
    expect(newYorkOffsetMinutes(utc('2023-02-01T13:00:00Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(utc('2023-07-01T13:00:00Z'))).toBe(-240);
  });

  it('changes exactly at the spring-forward and fall-back instants', () => {
    // Act / Assess
    expect(newYorkOffsetMinutes(utc('2023-03-12T06:59:59.999Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(utc('2023-03-12T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(utc('2023-11-05T05:59:59.999Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(utc('2023-11-05T06:00:00Z'))).toBe(-300);
  });

  it('asks Intl once per UTC hour and answers the rest from its cache', () => {
    // Prepare
    const spy = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const hourStart = utc('2041-06-01T10:00:00Z');
    try {
      // Act
      for (let i = 0; i < 1000; i += 1) instantToLocal(hourStart + i * 3_599);
      // Assess
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('agrees with Intl for random instants 2009..2030', () => {
    fc.assert(
      fc.property(instants2009To2030, (t) => {
        // Act / Assess
        expect(newYorkOffsetMinutes(t)).toBe(referenceOffsetMinutes(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('instantToLocal', () => {
  it('gives the New York wall clock to the millisecond', () => {
    // Act
    const result = instantToLocal(utc('2023-02-01T13:04:05.678Z'));
    // Assess
    expect(result).toEqual(local(2023, 2, 1, 8, 4, 5, 678));
  });

  it('gives the same wall clock for both passes of the fall-back hour', () => {
    // Act
    const first = instantToLocal(utc('2023-11-05T05:30:00Z'));
    const second = instantToLocal(utc('2023-11-05T06:30:00Z'));
    // Assess
    expect(first).toEqual(local(2023, 11, 5, 1, 30));
    expect(second).toEqual(first);
  });

  it('crosses the new year in local time before UTC does', () => {
    // Act / Assess
    expect(instantToLocal(utc('2024-01-01T04:59:59.999Z'))).toEqual(local(2023, 12, 31, 23, 59, 59, 999));
    expect(instantToLocal(utc('2024-01-01T05:00:00Z'))).toEqual(local(2024, 1, 1));
  });

  it('handles leap days', () => {
    // Act / Assess
    expect(instantToLocal(utc('2024-02-29T17:00:00Z'))).toEqual(local(2024, 2, 29, 12));
  });

  it('agrees with Intl for random instants 2009..2030', () => {
    fc.assert(
      fc.property(instants2009To2030, (t) => {
        // Act / Assess
        expect(instantToLocal(t)).toEqual(referenceLocal(t));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('localToInstant', () => {
  it('reads an ordinary winter and summer time with that season offset', () => {
    // Act / Assess
    expect(localToInstant(local(2023, 2, 1, 8))).toBe(utc('2023-02-01T13:00:00Z'));
    expect(localToInstant(local(2023, 7, 1, 8))).toBe(utc('2023-07-01T12:00:00Z'));
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // Act
    const result = localToInstant(local(2023, 3, 12, 2, 30));
    // Assess
    expect(result).toBe(utc('2023-03-12T07:30:00Z'));
    expect(formatNewYork(result)).toBe('2023-03-12T03:30:00-04:00');
  });

  it('reads the start of the gap as 03:00 EDT', () => {
    // Act / Assess
    expect(localToInstant(local(2023, 3, 12, 2))).toBe(utc('2023-03-12T07:00:00Z'));
  });

  it('picks the earlier instant in the fall-back overlap', () => {
    // Act / Assess
    expect(localToInstant(local(2023, 11, 5, 1, 30))).toBe(utc('2023-11-05T05:30:00Z'));
    expect(localToInstant(local(2023, 11, 5, 1, 59, 59, 999))).toBe(utc('2023-11-05T05:59:59.999Z'));
  });

  it('reads the times just around both transitions unambiguously', () => {
    // Act / Assess
    expect(localToInstant(local(2023, 3, 12, 1, 59, 59, 999))).toBe(utc('2023-03-12T06:59:59.999Z'));
    expect(localToInstant(local(2023, 3, 12, 3))).toBe(utc('2023-03-12T07:00:00Z'));
    expect(localToInstant(local(2023, 11, 5, 0, 59, 59, 999))).toBe(utc('2023-11-05T04:59:59.999Z'));
    expect(localToInstant(local(2023, 11, 5, 2))).toBe(utc('2023-11-05T07:00:00Z'));
  });

  it('rolls over out-of-range parts by plain arithmetic', () => {
    // Act / Assess
    expect(localToInstant(local(2023, 1, 31, 24))).toBe(localToInstant(local(2023, 2, 1)));
  });

  it('inverts instantToLocal except in the second pass of a fall-back hour', () => {
    fc.assert(
      fc.property(instants2009To2030, (t) => {
        // Prepare
        fc.pre(!isSecondPassOfFallBack(t));
        // Act / Assess
        expect(localToInstant(instantToLocal(t))).toBe(t);
      }),
      { numRuns: 5000 },
    );
  });

  it('maps the second pass of a fall-back hour to the first pass', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2009, max: 2030 }), fc.integer({ min: 0, max: HOUR_MS - 1 }), (year, intoHour) => {
        // Prepare: the fall-back instant is the first Sunday in November, 06:00Z, since 2007.
        const nov1 = new Date(Date.UTC(year, 10, 1));
        const firstSunday = 1 + ((7 - nov1.getUTCDay()) % 7);
        const secondPass = Date.UTC(year, 10, firstSunday, 6) + intoHour;
        // Act
        const result = localToInstant(instantToLocal(secondPass));
        // Assess
        expect(isSecondPassOfFallBack(secondPass)).toBe(true);
        expect(result).toBe(secondPass - HOUR_MS);
      }),
    );
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2023-02-01T08:00:00Z', '2023-02-01T08:00:00Z'],
    ['2023-02-01T08:00:00+00:00', '2023-02-01T08:00:00Z'],
    ['2023-02-01T08:00:00-05:00', '2023-02-01T13:00:00Z'],
    ['2023-02-01T08:00:00-0500', '2023-02-01T13:00:00Z'],
    ['2023-02-01T08:00:00+05', '2023-02-01T03:00:00Z'],
    ['2023-02-01T08:00:00+05:30', '2023-02-01T02:30:00Z'],
    ['2023-02-01T08:00-05:00', '2023-02-01T13:00:00Z'],
    ['2023-02-01 08:00:00Z', '2023-02-01T08:00:00Z'],
    ['2023-02-01T08:00:00.5Z', '2023-02-01T08:00:00.500Z'],
    ['2023-02-01T08:00:00.123Z', '2023-02-01T08:00:00.123Z'],
    ['2023-02-01T08:00:00.123456789Z', '2023-02-01T08:00:00.123Z'],
    ['2023-11-05T01:30:00-05:00', '2023-11-05T06:30:00Z'],
  ])('reads %s with its offset as %s', (text, expected) => {
    // Act
    const result = parseDateTime(text);
    // Assess
    expect(result).toBe(utc(expected));
  });

  it.each([
    ['2023-02-01 08:00:00', '2023-02-01T13:00:00Z'],
    ['2023-02-01T08:00:00', '2023-02-01T13:00:00Z'],
    ['2023-02-01 08:00', '2023-02-01T13:00:00Z'],
    ['2023-07-01 08:00:00', '2023-07-01T12:00:00Z'],
    ['2023-07-01 08:00:00.25', '2023-07-01T12:00:00.250Z'],
    ['2023-02-01', '2023-02-01T05:00:00Z'],
    ['2024-02-29 23:59:59', '2024-03-01T04:59:59Z'],
    ['2023-03-12 02:30:00', '2023-03-12T07:30:00Z'],
    ['2023-11-05 01:30:00', '2023-11-05T05:30:00Z'],
  ])('reads %s without an offset as New York local time (%s)', (text, expected) => {
    // Act
    const result = parseDateTime(text);
    // Assess
    expect(result).toBe(utc(expected));
  });

  it.each([
    '',
    'abc',
    'NaN',
    'undefined',
    'null',
    '2023-02-30 10:00:00',
    '2023-02-29',
    '2023-13-01T00:00:00',
    '2023-00-10T00:00:00',
    '2023-01-00T00:00:00',
    '2023-02-01T24:00:00',
    '2023-02-01T10:60:00',
    '2023-02-01T10:00:60',
    '2023-02-01T10',
    '2023-2-1 10:00:00',
    '23-02-01 10:00:00',
    '2023-02-01  10:00:00',
    '2023-02-01_10:00:00',
    ' 2023-02-01 10:00:00',
    '2023-02-01 10:00:00 ',
    '2023-02-01T10:00:00.',
    '2023-02-01T10:00:00.1234567890',
    '2023-02-01T10:00.5',
    '2023-02-01T10:00:00+24:00',
    '2023-02-01T10:00:00+05:60',
    '2023-02-01T10:00:00+5',
    '2023-02-01T10:00:00 +05:00',
    '2023-02-01Z',
    '1675238400000',
  ])('returns undefined for %j', (text) => {
    // Act
    const result = parseDateTime(text);
    // Assess
    expect(result).toBeUndefined();
  });

  it('returns undefined rather than throwing for values that are not strings', () => {
    // Prepare
    const values: unknown[] = [undefined, null, Number.NaN, 42, {}, []];
    // Act
    const results = values.map((value) => parseDateTime(value as string));
    // Assess
    expect(results).toEqual(values.map(() => undefined));
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        // Act
        const result = parseDateTime(text);
        // Assess
        expect(result === undefined || Number.isFinite(result)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what formatNewYork writes', () => {
    fc.assert(
      fc.property(instants2009To2030, (t) => {
        // Prepare
        const wholeSecond = Math.floor(t / 1000) * 1000;
        // Act / Assess
        expect(parseDateTime(formatNewYork(t))).toBe(wholeSecond);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatNewYork', () => {
  it('writes ISO-8601 with the winter offset', () => {
    // Act / Assess
    expect(formatNewYork(utc('2023-02-01T13:00:00Z'))).toBe('2023-02-01T08:00:00-05:00');
  });

  it('writes ISO-8601 with the summer offset', () => {
    // Act / Assess
    expect(formatNewYork(utc('2023-07-04T16:05:09Z'))).toBe('2023-07-04T12:05:09-04:00');
  });

  it('drops milliseconds without rounding up', () => {
    // Act / Assess
    expect(formatNewYork(utc('2023-02-01T13:00:00.999Z'))).toBe('2023-02-01T08:00:00-05:00');
  });

  it('tells the two passes of the fall-back hour apart by their offsets', () => {
    // Act / Assess
    expect(formatNewYork(utc('2023-11-05T05:30:00Z'))).toBe('2023-11-05T01:30:00-04:00');
    expect(formatNewYork(utc('2023-11-05T06:30:00Z'))).toBe('2023-11-05T01:30:00-05:00');
  });
});

describe('bucketKey', () => {
  it('writes each granularity in its fixed-width form', () => {
    // Prepare
    const t = utc('2023-02-01T13:04:05Z');
    // Act / Assess
    expect(bucketKey(t, 'HOUR')).toBe('2023-02-01T08');
    expect(bucketKey(t, 'DAY')).toBe('2023-02-01');
    expect(bucketKey(t, 'WEEK')).toBe('2023-01-30');
    expect(bucketKey(t, 'MONTH')).toBe('2023-02');
  });

  it('uses the local date, not the UTC date', () => {
    // Prepare: 02:00Z on 2023-03-01 is still February 28 in New York.
    const t = utc('2023-03-01T02:00:00Z');
    // Act / Assess
    expect(bucketKey(t, 'DAY')).toBe('2023-02-28');
    expect(bucketKey(t, 'MONTH')).toBe('2023-02');
  });

  it('puts both passes of the fall-back hour in the one 01 bucket', () => {
    // Act / Assess
    expect(bucketKey(utc('2023-11-05T05:30:00Z'), 'HOUR')).toBe('2023-11-05T01');
    expect(bucketKey(utc('2023-11-05T06:30:00Z'), 'HOUR')).toBe('2023-11-05T01');
  });

  it('never produces the missing spring-forward hour', () => {
    // Act / Assess
    expect(bucketKey(utc('2023-03-12T06:59:59.999Z'), 'HOUR')).toBe('2023-03-12T01');
    expect(bucketKey(utc('2023-03-12T07:00:00Z'), 'HOUR')).toBe('2023-03-12T03');
  });

  it('gives the ISO week Monday across a year boundary', () => {
    // Act / Assess: 2023-01-01 is a Sunday; 2020-12-31 is a Thursday.
    expect(bucketKey(utc('2023-01-01T12:00:00Z'), 'WEEK')).toBe('2022-12-26');
    expect(bucketKey(utc('2020-12-31T12:00:00Z'), 'WEEK')).toBe('2020-12-28');
    expect(bucketKey(utc('2023-01-02T05:00:00Z'), 'WEEK')).toBe('2023-01-02');
    expect(bucketKey(utc('2023-01-02T04:59:59.999Z'), 'WEEK')).toBe('2022-12-26');
  });

  it('agrees with Intl for random instants 2009..2030', () => {
    fc.assert(
      fc.property(instants2009To2030, granularities, (t, granularity) => {
        // Act / Assess
        expect(bucketKey(t, granularity)).toBe(referenceKey(t, granularity));
      }),
      { numRuns: 5000 },
    );
  });

  it('orders keys as strings in the same order as their instants', () => {
    fc.assert(
      fc.property(instants2009To2030, instants2009To2030, granularities, (a, b, granularity) => {
        // Prepare
        const [early, late] = a <= b ? [a, b] : [b, a];
        // Act / Assess
        expect(bucketKey(early, granularity) <= bucketKey(late, granularity)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bucketStart', () => {
  it('gives the local start of each granularity', () => {
    // Act / Assess
    expect(formatNewYork(bucketStart('2023-02-01T08', 'HOUR'))).toBe('2023-02-01T08:00:00-05:00');
    expect(formatNewYork(bucketStart('2023-07-01', 'DAY'))).toBe('2023-07-01T00:00:00-04:00');
    expect(formatNewYork(bucketStart('2022-12-26', 'WEEK'))).toBe('2022-12-26T00:00:00-05:00');
    expect(formatNewYork(bucketStart('2023-03', 'MONTH'))).toBe('2023-03-01T00:00:00-05:00');
  });

  it('starts the fall-back 01 hour at its first pass', () => {
    // Act
    const start = bucketStart('2023-11-05T01', 'HOUR');
    // Assess
    expect(start).toBe(utc('2023-11-05T05:00:00Z'));
    expect(formatNewYork(start)).toBe('2023-11-05T01:00:00-04:00');
  });

  it('holds every instant between its bucket start and the next bucket start', () => {
    fc.assert(
      fc.property(instants2009To2030, granularities, (t, granularity) => {
        // Prepare
        const key = bucketKey(t, granularity);
        // Act
        const start = bucketStart(key, granularity);
        const nextStart = bucketStart(nextBucketKey(key, granularity), granularity);
        // Assess
        expect(start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(nextStart);
        expect(bucketKey(start, granularity)).toBe(key);
      }),
      { numRuns: 3000 },
    );
  });

  it.each<[string, Granularity]>([
    ['2023-02-30', 'DAY'],
    ['2023-02-01T24', 'HOUR'],
    ['2023-02-01 08', 'HOUR'],
    ['2023-13', 'MONTH'],
    ['2023-1', 'MONTH'],
    ['2023-01-01', 'WEEK'],
    ['2023-02-01', 'HOUR'],
    ['', 'DAY'],
  ])('rejects the malformed key %j for %s', (key, granularity) => {
    // Act / Assess
    expect(() => bucketStart(key, granularity)).toThrow(TimeBucketError);
  });
});

describe('nextBucketKey', () => {
  it('skips the hour that does not exist on the spring-forward day', () => {
    // Act / Assess
    expect(nextBucketKey('2023-03-12T01', 'HOUR')).toBe('2023-03-12T03');
  });

  it('names the repeated fall-back hour once', () => {
    // Act / Assess
    expect(nextBucketKey('2023-11-05T00', 'HOUR')).toBe('2023-11-05T01');
    expect(nextBucketKey('2023-11-05T01', 'HOUR')).toBe('2023-11-05T02');
  });

  it('rolls hours, days, weeks and months over their boundaries', () => {
    // Act / Assess
    expect(nextBucketKey('2023-12-31T23', 'HOUR')).toBe('2024-01-01T00');
    expect(nextBucketKey('2024-02-28', 'DAY')).toBe('2024-02-29');
    expect(nextBucketKey('2023-02-28', 'DAY')).toBe('2023-03-01');
    expect(nextBucketKey('2022-12-26', 'WEEK')).toBe('2023-01-02');
    expect(nextBucketKey('2023-12', 'MONTH')).toBe('2024-01');
    expect(nextBucketKey('2023-09', 'MONTH')).toBe('2023-10');
  });
});

describe('bucketKeysInRange', () => {
  const dayRange = (dayKey: string, days = 1): [number, number] => {
    const start = bucketStart(dayKey, 'DAY');
    let end = dayKey;
    for (let i = 0; i < days; i += 1) end = nextBucketKey(end, 'DAY');
    return [start, bucketStart(end, 'DAY')];
  };

  it('lists 24 hours on an ordinary day', () => {
    // Prepare
    const [from, to] = dayRange('2023-02-01');
    // Act
    const keys = bucketKeysInRange(from, to, 'HOUR');
    // Assess
    expect(keys).toHaveLength(24);
    expect(keys[0]).toBe('2023-02-01T00');
    expect(keys[23]).toBe('2023-02-01T23');
  });

  it('lists 23 hours without 02 on the spring-forward day', () => {
    // Prepare
    const [from, to] = dayRange('2023-03-12');
    // Act
    const keys = bucketKeysInRange(from, to, 'HOUR');
    // Assess
    expect(keys).toHaveLength(23);
    expect(keys).not.toContain('2023-03-12T02');
    expect(keys.slice(0, 3)).toEqual(['2023-03-12T00', '2023-03-12T01', '2023-03-12T03']);
  });

  it('lists 24 hours with 01 once on the fall-back day', () => {
    // Prepare
    const [from, to] = dayRange('2023-11-05');
    // Act
    const keys = bucketKeysInRange(from, to, 'HOUR');
    // Assess
    expect(keys).toHaveLength(24);
    expect(keys.filter((key) => key === '2023-11-05T01')).toHaveLength(1);
    expect(new Set(keys).size).toBe(24);
  });

  it('leaves out a bucket that starts before the range', () => {
    // Act: from the second pass of the fall-back 01 hour, whose bucket started an hour earlier.
    const keys = bucketKeysInRange(utc('2023-11-05T06:30:00Z'), utc('2023-11-05T08:00:00Z'), 'HOUR');
    // Assess
    expect(keys).toEqual(['2023-11-05T02']);
  });

  it('includes a bucket starting exactly at from and excludes one starting exactly at to', () => {
    // Act
    const keys = bucketKeysInRange(bucketStart('2023-02-01', 'DAY'), bucketStart('2023-02-04', 'DAY'), 'DAY');
    // Assess
    expect(keys).toEqual(['2023-02-01', '2023-02-02', '2023-02-03']);
  });

  it('lists weeks and months by their starts', () => {
    // Prepare
    const [from, to] = dayRange('2023-01-01', 31);
    // Act / Assess
    expect(bucketKeysInRange(from, to, 'WEEK')).toEqual(['2023-01-02', '2023-01-09', '2023-01-16', '2023-01-23', '2023-01-30']);
    expect(bucketKeysInRange(from, to, 'MONTH')).toEqual(['2023-01']);
    expect(bucketKeysInRange(from, to, 'DAY')).toHaveLength(31);
  });

  it('covers a whole year: 8759 hour keys, 365 days, 12 months', () => {
    // Prepare
    const from = bucketStart('2023-01', 'MONTH');
    const to = bucketStart('2024-01', 'MONTH');
    // Act / Assess: 365 * 24 less the missing spring hour; the fall-back 01 hour is one key.
    expect(bucketKeysInRange(from, to, 'HOUR')).toHaveLength(8759);
    expect(bucketKeysInRange(from, to, 'DAY')).toHaveLength(365);
    expect(bucketKeysInRange(from, to, 'MONTH')).toHaveLength(12);
  });

  it('returns nothing for an empty or reversed range', () => {
    // Prepare
    const t = utc('2023-02-01T13:00:00Z');
    // Act / Assess
    expect(bucketKeysInRange(t, t, 'HOUR')).toEqual([]);
    expect(bucketKeysInRange(t + 1, t, 'DAY')).toEqual([]);
  });

  it('rejects non-finite bounds', () => {
    // Act / Assess
    expect(() => bucketKeysInRange(Number.NaN, 0, 'DAY')).toThrow(TimeBucketError);
    expect(() => bucketKeysInRange(0, Number.POSITIVE_INFINITY, 'DAY')).toThrow(TimeBucketError);
  });

  it('lists exactly the keys of instants whose bucket starts in the range', () => {
    fc.assert(
      fc.property(
        instants2009To2030,
        fc.integer({ min: 0, max: 40 * 24 * HOUR_MS }),
        fc.constantFrom<Granularity>('HOUR', 'DAY', 'WEEK'),
        (from, length, granularity) => {
          // Act
          const keys = bucketKeysInRange(from, from + length, granularity);
          // Assess
          for (const key of keys) {
            const start = bucketStart(key, granularity);
            expect(start).toBeGreaterThanOrEqual(from);
            expect(start).toBeLessThan(from + length);
          }
          for (let i = 1; i < keys.length; i += 1) {
            expect(keys[i]).toBe(nextBucketKey(keys[i - 1], granularity));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('dayKeyToBucket', () => {
  it('gives the day itself, its ISO week Monday and its month', () => {
    // Act / Assess
    expect(dayKeyToBucket('2023-01-01', 'DAY')).toBe('2023-01-01');
    expect(dayKeyToBucket('2023-01-01', 'WEEK')).toBe('2022-12-26');
    expect(dayKeyToBucket('2020-12-31', 'WEEK')).toBe('2020-12-28');
    expect(dayKeyToBucket('2023-01-02', 'WEEK')).toBe('2023-01-02');
    expect(dayKeyToBucket('2023-01-01', 'MONTH')).toBe('2023-01');
  });

  it('agrees with bucketKey for random instants', () => {
    fc.assert(
      fc.property(instants2009To2030, fc.constantFrom<Exclude<Granularity, 'HOUR'>>('DAY', 'WEEK', 'MONTH'), (t, granularity) => {
        // Act / Assess
        expect(dayKeyToBucket(bucketKey(t, 'DAY'), granularity)).toBe(bucketKey(t, granularity));
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects a key that is not a day', () => {
    // Act / Assess
    expect(() => dayKeyToBucket('2023-02-30', 'WEEK')).toThrow(TimeBucketError);
    expect(() => dayKeyToBucket('2023-02', 'MONTH')).toThrow(TimeBucketError);
  });
});

describe('isoWeekdayOfDayKey', () => {
  it('numbers Monday 1 to Sunday 7, across month, year and leap-day boundaries', () => {
    expect(
      ['2023-01-30', '2023-01-31', '2023-02-01', '2023-02-02', '2023-02-03', '2023-02-04', '2023-02-05'].map(isoWeekdayOfDayKey),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(['1970-01-01', '2024-02-29', '2025-01-01', '2008-12-31'].map(isoWeekdayOfDayKey)).toEqual([4, 4, 3, 3]);
  });

  it('agrees with the ISO week of bucketKey: a day is its week start plus weekday - 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 365 }), (dayNumber) => {
        const dayKey = new Date(Date.UTC(2000, 0, 1) + dayNumber * 86_400_000).toISOString().slice(0, 10);
        const weekStart = dayKeyToBucket(dayKey, 'WEEK');
        const daysSinceMonday = (Date.parse(dayKey) - Date.parse(weekStart)) / 86_400_000;
        expect(isoWeekdayOfDayKey(dayKey)).toBe(daysSinceMonday + 1);
      }),
    );
  });

  it('refuses a malformed key', () => {
    expect(() => isoWeekdayOfDayKey('2023-02-30')).toThrow(TimeBucketError);
  });
});

describe('splitHourKey', () => {
  it('splits an hour key into its day and hour of day', () => {
    // Act / Assess
    expect(splitHourKey('2023-02-01T08')).toEqual({ dayKey: '2023-02-01', hourOfDay: 8 });
    expect(splitHourKey('2023-11-05T01')).toEqual({ dayKey: '2023-11-05', hourOfDay: 1 });
    expect(splitHourKey('2023-12-31T23')).toEqual({ dayKey: '2023-12-31', hourOfDay: 23 });
  });

  it('rejects a key that is not an hour', () => {
    // Act / Assess
    expect(() => splitHourKey('2023-02-01')).toThrow(TimeBucketError);
  });
});

describe('dayKeySpan', () => {
  it('returns undefined for no buckets', () => {
    // Act / Assess
    expect(dayKeySpan([], 'DAY')).toBeUndefined();
  });

  it('spans the days of hour keys', () => {
    // Act / Assess
    expect(dayKeySpan(['2023-02-01T08', '2023-02-01T23', '2023-02-03T00'], 'HOUR')).toEqual(['2023-02-01', '2023-02-03']);
  });

  it('spans day keys as they are', () => {
    // Act / Assess
    expect(dayKeySpan(['2023-02-01'], 'DAY')).toEqual(['2023-02-01', '2023-02-01']);
  });

  it('runs weeks from the first Monday to the last Sunday', () => {
    // Act / Assess
    expect(dayKeySpan(['2022-12-26', '2023-01-02'], 'WEEK')).toEqual(['2022-12-26', '2023-01-08']);
  });

  it('runs months from the first day to the last day, leap years included', () => {
    // Act / Assess
    expect(dayKeySpan(['2024-01', '2024-02'], 'MONTH')).toEqual(['2024-01-01', '2024-02-29']);
    expect(dayKeySpan(['2023-02'], 'MONTH')).toEqual(['2023-02-01', '2023-02-28']);
    expect(dayKeySpan(['2023-12'], 'MONTH')).toEqual(['2023-12-01', '2023-12-31']);
  });

  it('finds the earliest and latest keys whatever their order', () => {
    // Act / Assess
    expect(dayKeySpan(['2023-03', '2023-01', '2023-02'], 'MONTH')).toEqual(['2023-01-01', '2023-03-31']);
  });
});

describe('bucketKeySpanInRange', () => {
  it('has the first and last keys bucketKeysInRange lists, for any range and granularity', () => {
    // 2009..2030, ranges up to 40 days, across DST changes.
    const instant = fc.integer({ min: utc('2009-01-01T00:00:00Z'), max: utc('2030-01-01T00:00:00Z') });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 40 * 24 * HOUR_MS }),
        fc.constantFrom(...GRANULARITIES),
        (from, length, granularity) => {
          // Act
          const keys = bucketKeysInRange(from, from + length, granularity);
          const span = bucketKeySpanInRange(from, from + length, granularity);
          // Assess
          expect(span).toEqual(keys.length === 0 ? undefined : [keys[0], keys[keys.length - 1]]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects non-finite bounds', () => {
    expect(() => bucketKeySpanInRange(Number.NaN, 0, 'DAY')).toThrow(TimeBucketError);
  });
});

describe('keysInSpanAtMost', () => {
  it('counts DAY keys exactly', () => {
    expect(keysInSpanAtMost(['2023-02-01', '2023-02-28'], 'DAY')).toBe(28);
    expect(keysInSpanAtMost(['2023-12-31', '2024-01-01'], 'DAY')).toBe(2);
    expect(keysInSpanAtMost(['2023-02-02', '2023-02-01'], 'DAY')).toBe(0);
  });

  it('counts HOUR keys exactly across spring-forward, and one too many across fall-back', () => {
    // Act / Assess: 23 keys on 2023-03-12, 24 on 2023-11-05 (its 01 hour is one key of two hours).
    expect(keysInSpanAtMost(['2023-03-12T00', '2023-03-12T23'], 'HOUR')).toBe(23);
    expect(keysInSpanAtMost(['2023-11-05T00', '2023-11-05T23'], 'HOUR')).toBe(25);
    expect(keysInSpanAtMost(['2023-02-01T00', '2023-02-28T23'], 'HOUR')).toBe(672);
  });

  it('is never below the number of keys in the span', () => {
    const instant = fc.integer({ min: utc('2009-01-01T00:00:00Z'), max: utc('2030-01-01T00:00:00Z') });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 40 * 24 * HOUR_MS }),
        fc.constantFrom('HOUR' as const, 'DAY' as const),
        (from, length, granularity) => {
          // Prepare
          const keys = bucketKeysInRange(from, from + length, granularity);
          fc.pre(keys.length > 0);
          // Act
          const count = keysInSpanAtMost([keys[0], keys[keys.length - 1]], granularity);
          // Assess: at most one extra per fall-back day, of which a 40-day span holds at most one.
          expect(count).toBeGreaterThanOrEqual(keys.length);
          expect(count).toBeLessThanOrEqual(keys.length + 1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
