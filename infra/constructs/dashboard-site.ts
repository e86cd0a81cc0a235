/**
 * The dashboard page on AWS: routes `GET /` and `GET /assets/{proxy+}` of the HTTP API go to a small
 * Lambda (src/dashboard/serve/handler.ts, the function the local HTTP front invokes for the same
 * routes) that answers with the built page. The page is built while the function is bundled and
 * shipped inside its asset, so a deploy always serves the page of the code it deploys, from the same
 * origin as /graphql (no CORS, no second domain).
 */
import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { DASHBOARD_ASSETS_DIR_VARIABLE } from '../../src/dashboard/serve/handler';
import { DASHBOARD_ROUTES } from '../../src/dashboard/serve/routes';
import { METRIC_SERVICES } from '../../src/metrics-catalog';
import { PipelineFunction, PROJECT_ROOT } from './pipeline-function';

/** The folder of the built page inside the function's bundle (/var/task on Lambda). */
export const BUNDLED_DASHBOARD_FOLDER = 'dashboard';
const LAMBDA_TASK_ROOT = '/var/task';

export interface DashboardSiteProps {
  readonly httpApi: apigwv2.HttpApi;
}

export class DashboardSite extends Construct {
  readonly handler: PipelineFunction;
  readonly routes: apigwv2.HttpRoute[];

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    const buildCli = path.join(PROJECT_ROOT, 'src', 'dashboard', 'build', 'build-cli.ts');
    this.handler = new PipelineFunction(this, 'Page', {
      entry: 'src/dashboard/serve/handler.ts',
      service: METRIC_SERVICES.dashboard,
      description: 'taxi-pulse: the dashboard page (static files; the page reads the GraphQL API with a read key)',
      // Files are read and gzipped once per container; a request then only copies bytes.
      memorySize: 256,
      timeout: Duration.seconds(10),
      bundling: {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `"${tsx}" "${buildCli}" --out-dir "${path.join(outputDir, BUNDLED_DASHBOARD_FOLDER)}"`,
          ],
        },
      },
    });
    this.handler.function.addEnvironment(DASHBOARD_ASSETS_DIR_VARIABLE, `${LAMBDA_TASK_ROOT}/${BUNDLED_DASHBOARD_FOLDER}`);

    const integration = new HttpLambdaIntegration('PageIntegration', this.handler.function, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    this.routes = DASHBOARD_ROUTES.flatMap((route) =>
      props.httpApi.addRoutes({ path: route.path, methods: [apigwv2.HttpMethod[route.method]], integration }),
    );
    for (const route of this.routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The page and its scripts are public static files that hold no data (like any web app shell); every data call the page makes goes to ' +
          '/graphql with the read key the user enters, which the GraphQL Lambda checks.',
      });
    }
  }
}
