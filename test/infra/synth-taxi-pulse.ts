/**
 * Synthesises the real app once (the same createTaxiPulse that infra/app.ts calls, with the feature
 * flags of cdk.json and real esbuild bundling) into a temporary directory, and hands the tests the
 * templates and the policy-validation report (cdk-nag findings).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function';
import { createTaxiPulse, type TaxiPulse } from '../../infra/taxi-pulse';

export interface ReportedViolation {
  ruleName: string;
  description: string;
  severity: string;
  violatingConstructs?: { constructPath: string }[];
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: ReportedViolation[] }[];
}

export interface SynthesizedTaxiPulse {
  readonly app: App;
  readonly stacks: TaxiPulse;
  readonly stateful: Template;
  readonly stateless: Template;
  /** Every violation the validation plugins reported (cdk-nag and, when enabled, CloudFormation rules). */
  readonly violations: (ReportedViolation & { pluginName: string })[];
  readonly outdir: string;
  /** Removes the cloud assembly. */
  dispose(): void;
}

export interface SynthOptions {
  /**
   * Run CDK's built-in CloudFormation template rules too, as `cdk synth` does. They take ~10 s, so
   * only the test of the synth itself turns them on.
   */
  readonly cloudFormationValidation?: boolean;
  /** Browser origins allowed to call the API (as `-c corsAllowedOrigins=...` gives infra/app.ts). */
  readonly corsAllowedOrigins?: readonly string[];
  /** Bundle the handlers (default). Off, CDK skips esbuild (`aws:cdk:bundling-stacks`): for tests of the templates alone. */
  readonly bundle?: boolean;
}

/** The context of cdk.json (feature flags), so tests synthesise what `cdk synth` synthesises. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;
}

export function synthTaxiPulse(options: SynthOptions = {}): SynthesizedTaxiPulse {
  const outdir = mkdtempSync(join(tmpdir(), 'taxi-pulse-cdk-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}) },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stacks = createTaxiPulse(app, { corsAllowedOrigins: options.corsAllowedOrigins });
  try {
    app.synth();
  } catch (error) {
    // A failed validation still writes the templates and the report: the tests show the findings.
    if (!existsSync(join(outdir, 'validation-report.json'))) throw error;
  }
  const template = (artifactId: string) => Template.fromJSON(JSON.parse(readFileSync(join(outdir, `${artifactId}.template.json`), 'utf8')));
  const reportPath = join(outdir, 'validation-report.json');
  const report: ValidationReport = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : { pluginReports: [] };
  return {
    app,
    stacks,
    stateful: template(stacks.stateful.artifactId),
    stateless: template(stacks.stateless.artifactId),
    violations: report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => ({ ...violation, pluginName: plugin.pluginName })),
    ),
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;

/** The resources of one type in a template, by logical id. */
export function resourcesOfType(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of the only resource of `type` whose properties match; fails when there is not exactly one. */
export function onlyLogicalId(template: Template, type: string, props?: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(', ')}`);
  return ids[0];
}
