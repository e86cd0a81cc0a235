import { FORECAST_DAYS, forecastWindow, hoursInWindow } from '../../../src/dashboard/browser/forecast-window';
import type { Filters } from '../../../src/dashboard/browser/filters';

const view = (from: string, through: string): Filters => ({ from, through, granularity: 'DAY', mapMetric: 'pickups' });

describe('forecastWindow', () => {
  it('is the last week of a longer range, 24 hours a day', () => {
    expect(forecastWindow(view('2023-02-01', '2023-02-28'))).toEqual({ firstDay: '2023-02-22', lastDay: '2023-02-28', hours: 168 });
    expect(FORECAST_DAYS * 24).toBe(168);
  });

  it('is the whole of a range shorter than a week', () => {
    expect(forecastWindow(view('2023-02-03', '2023-02-03'))).toEqual({ firstDay: '2023-02-03', lastDay: '2023-02-03', hours: 24 });
    expect(forecastWindow(view('2023-02-26', '2023-03-01'))).toEqual({ firstDay: '2023-02-26', lastDay: '2023-03-01', hours: 96 });
  });
});

describe('hoursInWindow', () => {
  it("drops the hours after the window's last local day (a spring-forward week's extra hour)", () => {
    const hours = ['2019-03-10T01:00:00-05:00', '2019-03-10T03:00:00-04:00', '2019-03-10T23:00:00-04:00', '2019-03-11T00:00:00-04:00'];
    expect(
      hoursInWindow(
        hours.map((hourStart) => ({ hourStart })),
        '2019-03-10',
      ).map((hour) => hour.hourStart),
    ).toEqual(hours.slice(0, 3));
  });

  it('reads the local date from the offset the API gives, not from UTC', () => {
    // 23:00 local on the 28th is 04:00 UTC on 1 March: still the 28th.
    expect(hoursInWindow([{ hourStart: '2023-02-28T23:00:00-05:00' }], '2023-02-28')).toHaveLength(1);
  });
});
