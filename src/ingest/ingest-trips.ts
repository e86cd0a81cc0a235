/**
 * The `ingestTrips` use case: validate each submitted trip, write valid trips and the rejections
 * (so they are kept and counted) to the stream, answer with what was accepted and why others were not.
 */
import { createHash } from 'node:crypto';
import { validateTrip, MAX_TRIP_ID_LENGTH, type RejectionReason, type TripSubmission } from '../domain/trip';
import type { TripPublisher } from './publisher';
import { STREAM_RECORD_VERSION, type StreamRecord } from './stream-record';

export const MAX_TRIPS_PER_CALL = 500;

export class IngestError extends Error {
  override name = 'IngestError';
}

/** More trips in one call than allowed: the caller must split the call. */
export class TooManyTripsError extends IngestError {
  override name = 'TooManyTripsError';
  constructor(readonly count: number) {
    super(`at most ${MAX_TRIPS_PER_CALL} trips per call, got ${count}`);
  }
}

export interface TripRejectionAnswer {
  index: number;
  tripId: string;
  reason: RejectionReason;
  field: string;
  message: string;
}

export interface IngestAnswer {
  accepted: number;
  rejected: TripRejectionAnswer[];
}

/** Validates and publishes one call's trips; resolves after they are durably in the stream. */
export async function ingestTrips(
  submissions: readonly TripSubmission[],
  publisher: TripPublisher,
  now: () => number = Date.now,
): Promise<IngestAnswer> {
  if (submissions.length > MAX_TRIPS_PER_CALL) throw new TooManyTripsError(submissions.length);
  const submittedAtMs = now();
  const records: StreamRecord[] = [];
  const rejected: TripRejectionAnswer[] = [];
  submissions.forEach((submission, index) => {
    const validation = validateTrip(submission);
    if (validation.ok) {
      records.push({ v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs, trip: validation.trip });
      return;
    }
    const { reason, field, message } = validation.rejection;
    rejected.push({ index, tripId: String(submission.tripId ?? ''), reason, field, message });
    records.push({
      v: STREAM_RECORD_VERSION,
      type: 'rejection',
      submittedAtMs,
      tripId: ledgerIdOf(submission),
      reason,
      field,
      message,
      submission,
    });
  });
  await publisher.publish(records);
  return { accepted: submissions.length - rejected.length, rejected };
}

/**
 * The id a rejection is kept under: the tripId when it is usable, else a digest of the submission
 * (an empty or oversized tripId cannot be a partition key).
 */
function ledgerIdOf(submission: TripSubmission): string {
  const { tripId } = submission;
  if (typeof tripId === 'string' && tripId.length > 0 && tripId.length <= MAX_TRIP_ID_LENGTH) return tripId;
  return `invalid-id:${createHash('sha256').update(JSON.stringify(submission)).digest('hex').slice(0, 32)}`;
}
