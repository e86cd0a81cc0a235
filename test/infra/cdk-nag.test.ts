import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthTaxiPulse, type SynthesizedTaxiPulse } from './synth-taxi-pulse';

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

describe('cdk-nag AwsSolutions on the synthesised app', () => {
  let synth: SynthesizedTaxiPulse;
  let acknowledgements: Acknowledgement[];

  beforeAll(() => {
    // The full synth of `cdk synth`: cdk-nag plus CDK's built-in CloudFormation rules.
    synth = synthTaxiPulse({ cloudFormationValidation: true });
    acknowledgements = synth.app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
            path: construct.node.path,
            id: id.replace(/^annotation::/i, ''),
            reason,
          })),
        ),
    );
  });

  afterAll(() => synth?.dispose());

  it('reports no finding, error or warning, that is not acknowledged', () => {
    expect(synth.violations).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) expect(acknowledgement.reason.length).toBeGreaterThan(40);
  });

  it('acknowledges only findings that the rules would report otherwise', () => {
    // The same pack, blind to acknowledgements (a private method of cdk-nag 3's NagPack): the raw findings.
    const blind = new AwsSolutionsChecks();
    (blind as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = blind.validateScope(synth.app).violations;
    const covers = (path: string, constructPath = '') => constructPath === path || constructPath.startsWith(`${path}/`);
    const unused = acknowledgements.filter(
      (acknowledgement) =>
        !findings.some(
          (finding) =>
            finding.ruleName === acknowledgement.id &&
            finding.violatingResources.some((resource) => covers(acknowledgement.path, resource.constructPath)),
        ),
    );
    expect(unused).toEqual([]);
  });
});
