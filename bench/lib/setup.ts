/** Imported first by every bench script: the same quiet environment the tests use. */
// The pinned AWS SDK warns on Node 20 about releases from 2027; the lockfile keeps us on this one.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The handlers' EMF metrics and per-batch logs would go to stdout; the benches print their own figures.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
export {};
