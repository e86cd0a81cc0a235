import { dayNumberOf, weekdayOf } from '../../../../src/domain/forecast/calendar';
import { daytimeRole, hourRole, specialDayOn, specialDaysIn } from '../../../../src/domain/forecast/holidays';

/**
 * The federal holidays as OPM publishes them (opm.gov, "Federal Holidays", each year's list): the
 * dates offices close, observed dates included. Written out by hand, not computed.
 */
const OPM_OBSERVED: Record<number, string[]> = {
  2019: ['01-01', '01-21', '02-18', '05-27', '07-04', '09-02', '10-14', '11-11', '11-28', '12-25'],
  2020: ['01-01', '01-20', '02-17', '05-25', '07-03', '09-07', '10-12', '11-11', '11-26', '12-25'],
  2021: ['01-01', '01-18', '02-15', '05-31', '06-18', '07-05', '09-06', '10-11', '11-11', '11-25', '12-24', '12-31'],
  2022: ['01-17', '02-21', '05-30', '06-20', '07-04', '09-05', '10-10', '11-11', '11-24', '12-26'],
  2023: ['01-02', '01-16', '02-20', '05-29', '06-19', '07-04', '09-04', '10-09', '11-10', '11-23', '12-25'],
  2024: ['01-01', '01-15', '02-19', '05-27', '06-19', '07-04', '09-02', '10-14', '11-11', '11-28', '12-25'],
};

const isWeekend = (dayKey: string) => weekdayOf(dayNumberOf(dayKey)) >= 5;

describe('specialDayOn', () => {
  it.each(Object.entries(OPM_OBSERVED))('gives the federal holidays of %s on the weekdays OPM lists', (year, dates) => {
    const weekdayHolidays = specialDaysIn(Number(year))
      .filter((day) => day.kind === 'HOLIDAY' && !isWeekend(day.dayKey))
      .map((day) => day.dayKey);
    expect(weekdayHolidays).toEqual(dates.map((date) => `${year}-${date}`));
  });

  it('keeps a holiday that falls on a weekend on its own date too, and names the observed one', () => {
    expect(specialDayOn('2020-07-04')).toEqual({ dayKey: '2020-07-04', name: 'Independence Day', kind: 'HOLIDAY' });
    expect(specialDayOn('2020-07-03')).toEqual({ dayKey: '2020-07-03', name: 'Independence Day (observed)', kind: 'HOLIDAY' });
    expect(specialDayOn('2023-01-01')?.kind).toBe('HOLIDAY');
    expect(specialDayOn('2023-01-02')?.name).toBe("New Year's Day (observed)");
  });

  it("observes a Saturday New Year's Day on the Friday before, in the year before", () => {
    expect(specialDayOn('2021-12-31')).toEqual({ dayKey: '2021-12-31', name: "New Year's Day (observed)", kind: 'HOLIDAY' });
    expect(specialDayOn('2022-01-01')?.name).toBe("New Year's Day");
  });

  it('marks the days demand is known to shift: the day after Thanksgiving, Christmas Eve, New Year Eve', () => {
    expect(specialDayOn('2023-11-24')).toEqual({ dayKey: '2023-11-24', name: 'Day after Thanksgiving', kind: 'EVE' });
    expect(specialDayOn('2019-12-24')).toEqual({ dayKey: '2019-12-24', name: 'Christmas Eve', kind: 'EVE' });
    expect(specialDayOn('2019-12-31')).toEqual({ dayKey: '2019-12-31', name: "New Year's Eve", kind: 'EVE' });
    // Christmas Eve that is the observed Christmas Day is a holiday.
    expect(specialDayOn('2021-12-24')?.kind).toBe('HOLIDAY');
  });

  it('marks a working day between a holiday and the weekend as a bridge day', () => {
    expect(specialDayOn('2019-07-05')).toEqual({ dayKey: '2019-07-05', name: 'Bridge day after Independence Day', kind: 'EVE' });
    expect(specialDayOn('2023-07-03')).toEqual({ dayKey: '2023-07-03', name: 'Bridge day before Independence Day', kind: 'EVE' });
    expect(specialDayOn('2019-12-26')?.name).toBe('Christmas week'); // Christmas on a Wednesday: no bridge
  });

  it('marks the days of holiday periods: the weekdays of Christmas week, the weekends next to a day off', () => {
    expect(specialDayOn('2019-12-27')).toEqual({ dayKey: '2019-12-27', name: 'Christmas week', kind: 'PERIOD' });
    // Memorial Day weekend; the weekend after Thanksgiving (its Friday is an eve); the weekend after an observed Friday holiday.
    expect(['2019-05-25', '2019-05-26', '2019-11-30', '2019-12-01', '2020-07-05'].map((day) => specialDayOn(day)?.kind)).toEqual([
      'PERIOD',
      'PERIOD',
      'PERIOD',
      'PERIOD',
      'PERIOD',
    ]);
    // A weekend next to a midweek holiday is an ordinary weekend; so are the weekends around 2019's Christmas.
    expect(['2019-07-06', '2020-11-14', '2019-12-21', '2019-12-22'].map((day) => specialDayOn(day))).toEqual([
      { dayKey: '2019-07-06', name: 'Long weekend', kind: 'PERIOD' }, // after the Friday bridge day of 4 July
      undefined,
      undefined,
      undefined,
    ]);
    // A long weekend across the new year: New Year's Eve 2021 is a Friday (observed New Year's Day).
    expect(specialDayOn('2022-01-02')?.kind).toBe('PERIOD');
  });

  it('leaves ordinary days alone, Juneteenth before it became a holiday among them', () => {
    for (const dayKey of ['2023-02-22', '2020-10-22', '2019-06-19', '2020-06-19', '2023-11-22', '2024-12-23']) {
      expect(specialDayOn(dayKey)).toBeUndefined();
    }
  });

  it('gives every year from the first TLC year on its ten or eleven federal holidays', () => {
    for (let year = 2009; year <= 2040; year += 1) {
      const names = new Set(
        specialDaysIn(year)
          .filter((day) => day.kind === 'HOLIDAY')
          .map((day) => day.name.replace(' (observed)', '')),
      );
      // Every holiday is listed on its own date too, so each name appears every year.
      expect(names.size).toBe(year >= 2021 ? 11 : 10);
    }
  });
});

describe('the weekday a special day looks like', () => {
  const day = (dayKey: string) => dayNumberOf(dayKey);
  const [MONDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY] = [0, 3, 4, 5, 6];

  it('gives a weekday holiday the daytime of a Sunday, an eve that of a Saturday, and leaves ordinary and period days alone', () => {
    expect(daytimeRole(day('2023-11-23'))).toBe(SUNDAY); // Thanksgiving, a Thursday
    expect(daytimeRole(day('2023-11-24'))).toBe(SATURDAY); // the day after
    expect(daytimeRole(day('2023-11-22'))).toBe(2);
    expect(daytimeRole(day('2023-12-27'))).toBe(2); // Christmas week, a Wednesday
    expect(daytimeRole(day('2023-07-04'))).toBe(SUNDAY);
    expect(daytimeRole(day('2020-07-04'))).toBe(SATURDAY); // a Saturday holiday stays a Saturday
  });

  it("gives the night hours the role of the day after the evening before's", () => {
    expect(hourRole(day('2020-01-01'), 2)).toBe(SUNDAY); // after New Year's Eve (a Tuesday, Saturday-like): a Sunday's night
    expect(hourRole(day('2020-01-01'), 12)).toBe(SUNDAY); // New Year's Day itself
    expect(hourRole(day('2024-01-01'), 2)).toBe(MONDAY); // New Year's Eve 2023 was a Sunday: an ordinary Sunday night
    expect(hourRole(day('2023-11-24'), 2)).toBe(MONDAY); // after Thanksgiving, a Sunday-like Thursday
    expect(hourRole(day('2023-11-24'), 12)).toBe(SATURDAY);
    expect(hourRole(day('2023-11-23'), 2)).toBe(THURSDAY); // Thanksgiving's own night hours follow an ordinary Wednesday
    expect(hourRole(day('2023-11-17'), 2)).toBe(FRIDAY);
  });
});
