/** Borough codes as the API names them (`as const` instead of an enum, as in Powertools). */
export const BOROUGH_CODES = ['MANHATTAN', 'BROOKLYN', 'QUEENS', 'BRONX', 'STATEN_ISLAND', 'EWR', 'UNKNOWN'] as const;

export type BoroughCode = (typeof BOROUGH_CODES)[number];

export function isBoroughCode(value: unknown): value is BoroughCode {
  return typeof value === 'string' && (BOROUGH_CODES as readonly string[]).includes(value);
}
