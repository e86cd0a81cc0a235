import { meets, targetText, TARGETS, type TargetName } from '../../../bench/lib/targets';

describe('benchmark targets', () => {
  it.each([
    ['throughputRatio', '>= 0.8'],
    ['costPerMillionTrips', '<= $1.35'],
    ['throughputVsBaseline', '>= 0.9'],
    ['queryLatencyRatio', '<= 1.5 each'],
    ['freshnessP99Ms', 'p99 <= 1000 ms'],
    ['apiBundleKb', '<= 2048 KB'],
    ['memoryGrowthMbPer100k', 'flat over 1M trips (growth within 5 MB per 100k trips)'],
  ] as Array<[TargetName, string]>)('write %s as %s', (name, text) => {
    expect(targetText(name)).toBe(text);
  });

  it('judge a value by the same threshold the text shows, the threshold itself included', () => {
    for (const name of Object.keys(TARGETS) as TargetName[]) {
      const { threshold, comparison } = TARGETS[name];
      const better = comparison === 'atLeast' ? threshold * 1.01 : threshold * 0.99;
      const worse = comparison === 'atLeast' ? threshold * 0.99 : threshold * 1.01;
      expect([meets(name, threshold), meets(name, better), meets(name, worse)]).toEqual([true, true, false]);
    }
  });
});
