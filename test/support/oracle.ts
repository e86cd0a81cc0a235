/**
 * The test oracle lives in verify/oracle (shared with `npm run chaos`, and independent of src/); tests
 * import it from here: the trips and answers of a raw file, the zone lookup, and how answers are judged.
 */
export * from '../../verify/oracle/tlc-oracle';
export * from '../../verify/oracle/operations-oracle';
export * from '../../verify/oracle/compare-answers';
export { zonesOfLookup, boroughOfZone, type LookupZone } from '../../verify/oracle/tlc-zones';
export { findEdgeCases, type EdgeCase } from '../../verify/oracle/edge-cases';
