import { App } from 'aws-cdk-lib';
import { createTaxiPulse } from '../../infra/taxi-pulse';
import { cdkJsonContext } from './synth-taxi-pulse';

describe('a second copy of the deployment', () => {
  it('gets stacks of its own under another id prefix, as an upgrade of the table format needs (docs/deploy.md)', () => {
    // Prepare: cdk.json's feature flags, no bundling (only the stacks' ids are looked at).
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });

    // Act
    const first = createTaxiPulse(app);
    const second = createTaxiPulse(app, { stackIdPrefix: 'TaxiPulseV3' });

    // Assess
    expect([first.stateful.stackName, first.stateless.stackName]).toEqual(['TaxiPulseStateful', 'TaxiPulseStateless']);
    expect([second.stateful.stackName, second.stateless.stackName]).toEqual(['TaxiPulseV3Stateful', 'TaxiPulseV3Stateless']);
  });
});
