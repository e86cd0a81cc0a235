import { formatChaosReport, type ChaosRunFacts } from '../../../../verify/chaos/chaos-report';
import type { CheckResult } from '../../../../verify/chaos/oracle-checks';

const FACTS: ChaosRunFacts = { files: ['green.parquet'], seed: 42, kills: 5, replayRuns: 3, elapsedMs: 151_200, workDir: '/tmp/chaos-1' };

function check(name: string, differences: string[] = []): CheckResult {
  return { name, expected: '100 trips', actual: differences.length > 0 ? '101 trips' : '100 trips', differences };
}

describe('formatChaosReport', () => {
  it('prints one row per check, oracle next to API, and says that all match', () => {
    // Act
    const report = formatChaosReport([check('ingestionCounts.acceptedTrips'), check('peakHours 2023-02 city')], FACTS);

    // Assess
    expect(report).toMatch(/^check +oracle +API/);
    expect(report).toMatch(/peakHours 2023-02 city +100 trips +100 trips +ok/);
    expect(report).toContain('5 SIGKILLs, 3 replay run(s) of green.parquet in 151.2 s (seed 42).');
    expect(report).toContain('All 2 checks match the oracle.');
  });

  it('marks the checks that differ, lists their differences and says where the data was kept', () => {
    // Act
    const report = formatChaosReport(
      [check('ingestionCounts.acceptedTrips'), check('fareTrend(DAY) 2023-02 city', ['2023-02-03T00:00:00-05:00: trips 101 vs 100'])],
      FACTS,
    );

    // Assess
    expect(report).toMatch(/fareTrend\(DAY\) 2023-02 city +100 trips +101 trips +DIFFERENT/);
    expect(report).toContain('fareTrend(DAY) 2023-02 city:\n  2023-02-03T00:00:00-05:00: trips 101 vs 100');
    expect(report).toContain('1 of 2 checks differ from the oracle. Data and logs kept in /tmp/chaos-1.');
  });
});
