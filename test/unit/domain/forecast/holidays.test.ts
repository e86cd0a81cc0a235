import { dayNumberOf, weekdayOf } from '../../../../src/domain/forecast/calendar';
import { specialDayOn, specialDaysIn } from '../../../../src/domain/forecast/holidays';

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
    expect(specialDayOn('2019-12-26')).toBeUndefined(); // Christmas on a Wednesday: no bridge
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
