/**
 * AWS list prices (us-east-1, Kinesis provisioned, DynamoDB on-demand, no free tier) for the variable cost per million trips, as
 * docs/deploy.md transcribes them from the 2025 price lists. Check them before relying on the totals.
 */
export const PRICES = {
  /**
   * Kinesis provisioned (the stack's stream): per million PUT payload units, one per record of up to
   * 25 KB. Shard hours ($0.015 each) are a monthly cost, not a per-trip one; standard consumers'
   * reads are included in them.
   */
  kinesisPerMillionPutPayloadUnits: 0.014,
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
}

/** Dollars per million trips, by service. */
export function costPerMillionTrips(inputs: CostInputs): Record<string, number> {
  const million = 1e6;
  const invocations = million / inputs.tripsPerInvocation;
  const apiCalls = million / inputs.tripsPerApiCall;
  const costs: Record<string, number> = {
    // One PUT payload unit per trip record (~330 bytes, far below 25 KB).
    kinesisIn: PRICES.kinesisPerMillionPutPayloadUnits,
    // Standard consumers (the processor, Firehose) read within the shard hours.
    kinesisOut: 0,
    lambdaProcessor:
      invocations * (inputs.processorMsPerInvocation / 1000) * inputs.processorMemoryGb * PRICES.lambdaPerGbSecond +
      invocations * PRICES.lambdaPerRequest,
    lambdaApi: apiCalls * (inputs.apiMsPerCall / 1000) * inputs.apiMemoryGb * PRICES.lambdaPerGbSecond + apiCalls * PRICES.lambdaPerRequest,
    dynamoWrites: million * inputs.writeUnitsPerTrip * PRICES.dynamoPerWriteUnit,
    dynamoReads: million * inputs.readUnitsPerTrip * PRICES.dynamoPerReadUnit,
    apiGateway: apiCalls * PRICES.apiGatewayPerRequest,
  };
  costs.total = Object.values(costs).reduce((sum, value) => sum + value, 0);
  for (const key of Object.keys(costs)) costs[key] = Math.round(costs[key] * 10000) / 10000;
  return costs;
}
