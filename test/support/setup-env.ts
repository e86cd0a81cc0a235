// The pinned AWS SDK warns on Node 20 about releases from 2027; the lockfile keeps us on this one.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The handlers' EMF metrics and per-batch logs go to stdout; tests check the figures, not the log lines.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
