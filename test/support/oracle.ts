/**
 * The test oracle lives in /oracle (shared with `npm run chaos`, and independent of src/); tests
 * import it from here as they always did.
 */
export * from '../../verify/oracle/tlc-oracle';
