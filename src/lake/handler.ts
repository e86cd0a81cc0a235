/**
 * The data lake's Firehose transformation Lambda (deployed by infra/constructs/data-lake.ts): a thin
 * shell around transformFirehoseEvent, which the local lake writer shares through toLakeEntry.
 */
import type { FirehoseTransformationHandler } from 'aws-lambda';
import { transformFirehoseEvent } from './firehose-transform';

export const handler: FirehoseTransformationHandler = async (event) => transformFirehoseEvent(event);
