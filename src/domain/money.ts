/**
 * Money is integer cents inside the pipeline so that sums are exact; dollars only at the edges.
 * Rounding happens once, here: half away from zero, after removing binary noise (12.345 -> 1235).
 */
export function dollarsToCents(dollars: number): number {
  const scaled = Number((Math.abs(dollars) * 100).toPrecision(12));
  return Math.sign(dollars) * Math.round(scaled) || 0;
}

export function centsToDollars(cents: number): number {
  return cents / 100;
}

/**
 * Distances are kept in integer hundredths of a mile for the same reason (TLC reports two decimals).
 */
export function milesToHundredths(miles: number): number {
  return dollarsToCents(miles);
}

export function hundredthsToMiles(hundredths: number): number {
  return hundredths / 100;
}
