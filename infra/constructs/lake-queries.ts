/**
 * SQL over the data lake with Amazon Athena: a workgroup whose settings every query must use (results
 * encrypted in a bucket of their own, a cutoff on the bytes one query may scan, engine version 3, metrics
 * in CloudWatch), and the saved queries of src/lake/named-queries.ts (peakHours, fareTrend, operations and zoneFlows in SQL),
 * in the lake's Glue database. Querying costs per byte scanned: docs/deploy.md says how much and how
 * the cutoff bounds it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { NAMED_QUERIES } from '../../src/lake/named-queries';

/**
 * The most one query may scan: 10 GiB, $0.05 at Athena's $5 per TB. A month of a city's trips is a few
 * hundred MB of Parquet; a query that needs more is cancelled (raise it in the workgroup if you mean it).
 */
export const BYTES_SCANNED_CUTOFF_PER_QUERY = 10 * 1024 ** 3;

/** How long query results are kept: they are the answers, re-run the query for a fresh one. */
export const QUERY_RESULTS_RETENTION = Duration.days(30);

export interface LakeQueriesProps {
  /** The Glue database holding the lake's table. */
  readonly databaseName: string;
  /** Where the results bucket sends its server access logs (the lake's access-log bucket). */
  readonly accessLogsBucket: s3.IBucket;
}

export class LakeQueries extends Construct {
  readonly resultsBucket: s3.Bucket;
  readonly workGroup: athena.CfnWorkGroup;
  readonly namedQueries: athena.CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: LakeQueriesProps) {
    super(scope, id);

    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        { id: 'expire-query-results', expiration: QUERY_RESULTS_RETENTION, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Like the other buckets: CloudFormation cannot delete a bucket that holds objects; the lifecycle
      // rule empties it within a month.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Named by the stack's path: two copies of the app in one account get two workgroups.
    const name = this.node.path.replace(/[^A-Za-z0-9._-]/g, '-');
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name,
      description: 'taxi-pulse: SQL over the data lake (encrypted results, scan cutoff, enforced settings)',
      state: 'ENABLED',
      // Deleting the stack deletes the saved queries with the workgroup.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot override where results go, their encryption or the cutoff.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    this.namedQueries = NAMED_QUERIES.map((query) => {
      const parameters = query.parameters.map((parameter, index) => `${index + 1}: ${parameter}`).join('; ');
      return new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: `${query.description}. Parameters: ${parameters}`.slice(0, 1024),
        database: props.databaseName,
        workGroup: this.workGroup.ref,
        queryString: query.sql,
      });
    });
  }
}
