/**
 * AWS list prices (us-east-1, on-demand, no free tier) for the variable cost per million trips, as
 * docs/deploy.md transcribes them from the 2025 price lists. Check them before relying on the totals.
 */
export const PRICES = {
  /** Kinesis on-demand: data in, per GB, each record rounded up to 1 KB. */
  kinesisInPerGb: 0.08,
  /** Kinesis on-demand: data out (per consumer), per GB. */
  kinesisOutPerGb: 0.04,
  /** Lambda (arm64 is $0.0000133334 per GB-s; x86 $0.0000166667). The stacks deploy ARM_64. */
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  /** DynamoDB on-demand. */
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  /** API Gateway HTTP API, per request (up to 512 KB each). */
  apiGatewayPerRequest: 1.0 / 1e6,
} as const;

export interface CostInputs {
  /** DynamoDB write units per trip (measured). */
  writeUnitsPerTrip: number;
  /** DynamoDB read units per trip (measured). */
  readUnitsPerTrip: number;
  /** Trips per processor invocation (batch size). */
  tripsPerInvocation: number;
  /** Processor duration per invocation, ms (measured locally: an estimate of Lambda's). */
  processorMsPerInvocation: number;
  processorMemoryGb: number;
  /** Trips per ingestTrips call. */
  tripsPerApiCall: number;
  /** API handler duration per call, ms (measured locally: an estimate). */
  apiMsPerCall: number;
  apiMemoryGb: number;
  /** Kinesis consumers reading every record (processor; Firehose is a second one on AWS). */
  kinesisConsumers: number;
}

/** Dollars per million trips, by service. */
export function costPerMillionTrips(inputs: CostInputs): Record<string, number> {
  const million = 1e6;
  const gbPerMillionRecords = (million * 1024) / 2 ** 30; // each record billed as 1 KB
  const invocations = million / inputs.tripsPerInvocation;
  const apiCalls = million / inputs.tripsPerApiCall;
  const costs: Record<string, number> = {
    kinesisIn: gbPerMillionRecords * PRICES.kinesisInPerGb,
    kinesisOut: inputs.kinesisConsumers * gbPerMillionRecords * PRICES.kinesisOutPerGb,
    lambdaProcessor: invocations * (inputs.processorMsPerInvocation / 1000) * inputs.processorMemoryGb * PRICES.lambdaPerGbSecond + invocations * PRICES.lambdaPerRequest,
    lambdaApi: apiCalls * (inputs.apiMsPerCall / 1000) * inputs.apiMemoryGb * PRICES.lambdaPerGbSecond + apiCalls * PRICES.lambdaPerRequest,
    dynamoWrites: million * inputs.writeUnitsPerTrip * PRICES.dynamoPerWriteUnit,
    dynamoReads: million * inputs.readUnitsPerTrip * PRICES.dynamoPerReadUnit,
    apiGateway: apiCalls * PRICES.apiGatewayPerRequest,
  };
  costs.total = Object.values(costs).reduce((sum, value) => sum + value, 0);
  for (const key of Object.keys(costs)) costs[key] = Math.round(costs[key] * 10000) / 10000;
  return costs;
}
