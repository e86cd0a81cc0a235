/**
 * How a pickup aggregate is laid out as a DynamoDB item in table format 3 (docs/table-design.md,
 * "Format 3"): one number attribute per sum, per hour of day (DAY items) and per sketch bucket, so that
 * every part can be added to with ADD, and decoded back into the domain's FareAggregate.
 *
 * A figure's attribute is a short prefix; on a zone DAY item (hourly detail) the prefix is followed by
 * the hour of day as one base-36 digit (0-9, a-n for 10-23), and the zone's day is the sum of its hours.
 * Every number inside a name is written in base 36: hours, sketch buckets. Names are short because
 * DynamoDB bills item bytes, names included, on every update, and the emulator parses and copies them.
 *
 * | prefix | figure                                                     | stored when             |
 * | ------ | ---------------------------------------------------------- | ----------------------- |
 * | `n`    | trips (city and borough items; a zone hour's is its `h`)  | always                  |
 * | `h`    | trips picked up in hour `h` of the day (DAY items)         | always                  |
 * | `f`    | fare cents                                                 | non-zero                |
 * | `t`    | total cents (revenue)                                      | non-zero                |
 * | `g`    | tip (gratuity) cents                                       | non-zero                |
 * | `d`    | distance, hundredths of a mile                             | non-zero                |
 * | `m`    | duration, integer milliseconds                             | non-zero                |
 * | `q<k>` | fare sketch bucket k (FARE_SKETCH), trips                  | always                  |
 * | `u<k>` | duration sketch bucket k (DURATION_SKETCH), trips          | always                  |
 * | `px`   | sum of (passengers - 1) over trips with passengers         | 2 or more passengers    |
 * | `pz`   | trips with a passenger count of 0                          | 0 passengers            |
 * | `np`   | trips without a passenger count                            | missing count           |
 * | `y<t>` | trips of payment type t (its TLC code), every type but CARD | payment other than card |
 * | `nt`   | tip cents of the non-card trips                            | non-card, non-zero      |
 * | `nf`   | fare cents of the non-card trips                           | non-card, non-zero      |
 *
 * The operations figures are stored so that a common trip (one passenger, paid by card) adds only its
 * duration and duration bucket; the others are differences of sums on the same item, exact and additive:
 * trips with a passenger count = trips - np, passengers = px + trips - np - pz, CARD trips = trips -
 * sum(y), card tips = g - nt, card fares = f - nf. Every amount added is positive, so an attribute exists
 * exactly when one of the item's trips has that figure, however the trips were split into updates. No
 * name is a key attribute (`pk`, `sk`) or starts with `mark`.
 */
import { emptyAggregate, type AggregateTarget, type FareAggregate } from '../domain/aggregate';
import { CARD_PAYMENT_INDEX, PAYMENT_TYPES, paymentTypeIndex } from '../domain/operations-figures';
import { DURATION_SKETCH, FARE_SKETCH, mergeCounts } from '../domain/quantile-sketch';
import { hasHourlyDetail, type StoredGranularity } from '../domain/scope';
import { instantToLocal } from '../domain/time';
import type { Trip } from '../domain/trip';
import type { IncrementSink } from './marked-increments';

/** The hours of a day as the one base-36 digit attribute names carry them: '0'..'9', 'a'..'n'. */
const HOUR_CODES: readonly string[] = Array.from({ length: 24 }, (_, hour) => hour.toString(36));

/** The attributes of a DAY item that count its trips per hour of day, `h0`..`hn`, indexed by hour. */
export const HOUR_COUNT_ATTRIBUTES: readonly string[] = HOUR_CODES.map((code) => `h${code}`);

/** The sums of one bucket's figures, by the prefix of their attribute. */
const SUM_PREFIXES = {
  trips: 'n',
  fareCents: 'f',
  totalCents: 't',
  tipCents: 'g',
  distanceHundredths: 'd',
  durationMs: 'm',
  passengersMinusOne: 'px',
  tripsWithZeroPassengers: 'pz',
  tripsWithoutPassengers: 'np',
  nonCardTipCents: 'nt',
  nonCardFareCents: 'nf',
} as const;

type SumField = keyof typeof SUM_PREFIXES;
type SumNames = Record<SumField, string>;

const SUM_FIELDS = Object.keys(SUM_PREFIXES) as SumField[];
const FARE_SKETCH_PREFIX = 'q';
const DURATION_SKETCH_PREFIX = 'u';
const PAYMENT_PREFIX = 'y';

/** Names of the sums on an item without hourly detail: the bare prefixes. */
const WHOLE_NAMES: SumNames = { ...SUM_PREFIXES };
/** Names of the sums of each hour on a zone DAY item: prefix + hour digit (a zone hour's trips are its `h`). */
const HOURLY_NAMES: readonly SumNames[] = HOUR_CODES.map(
  (code, hour) =>
    Object.fromEntries(
      SUM_FIELDS.map((field) => [field, field === 'trips' ? HOUR_COUNT_ATTRIBUTES[hour] : SUM_PREFIXES[field] + code]),
    ) as SumNames,
);

/**
 * Sketch and payment attribute names, built once and reused: the processor names several attributes of
 * every trip for every item, and the same string object every time also hashes once in the maps that
 * sum a batch. Index 0 is for items without hourly detail, 1 + hour for each hour of a zone DAY item.
 */
class NameCache {
  private readonly byPlace: string[][] = Array.from({ length: 25 }, () => []);
  constructor(private readonly prefix: string) {}
  nameOf(hour: number | undefined, key: number): string {
    const place = this.byPlace[hour === undefined ? 0 : hour + 1];
    return (place[key] ??= `${this.prefix}${hour === undefined ? '' : HOUR_CODES[hour]}${key.toString(36)}`);
  }
}

const FARE_SKETCH_NAMES = new NameCache(FARE_SKETCH_PREFIX);
const DURATION_SKETCH_NAMES = new NameCache(DURATION_SKETCH_PREFIX);
const PAYMENT_NAMES = new NameCache(PAYMENT_PREFIX);

/** What every item of a trip needs from it: computed once per trip, not once per item. */
interface TripCodes {
  readonly hourOfDay: number;
  readonly fareBucket: number;
  readonly durationMs: number;
  readonly durationBucket: number;
  readonly payment: number;
}

/** Codes of the trips seen lately (a trip counts in five pickup aggregates, a batch's are encoded together). */
const codesOfTrip = new WeakMap<Trip, TripCodes>();

function codesOf(trip: Trip): TripCodes {
  let codes = codesOfTrip.get(trip);
  if (codes === undefined) {
    const durationMs = trip.dropoffAtMs - trip.pickupAtMs;
    codes = {
      hourOfDay: instantToLocal(trip.pickupAtMs).hour,
      fareBucket: FARE_SKETCH.bucketOf(trip.fareCents),
      durationMs,
      durationBucket: DURATION_SKETCH.bucketOf(durationMs),
      payment: paymentTypeIndex(trip.paymentType),
    };
    codesOfTrip.set(trip, codes);
  }
  return codes;
}

/**
 * What one valid trip adds to the item of one of its pickup aggregates (a target of tripTargets): calls
 * `add` once per attribute, always with a positive amount.
 */
export function addAggregateIncrements(trip: Trip, target: Pick<AggregateTarget, 'scope' | 'granularity'>, add: IncrementSink): void {
  const hourly = hasHourlyDetail(target.scope, target.granularity);
  const { hourOfDay, fareBucket, durationMs, durationBucket, payment } = codesOf(trip);
  const names = hourly ? HOURLY_NAMES[hourOfDay] : WHOLE_NAMES;
  const hour = hourly ? hourOfDay : undefined;
  if (!hourly) add(names.trips, 1);
  if (target.granularity === 'DAY') add(HOUR_COUNT_ATTRIBUTES[hourOfDay], 1);
  if (trip.fareCents !== 0) add(names.fareCents, trip.fareCents);
  if (trip.totalCents !== 0) add(names.totalCents, trip.totalCents);
  if (trip.tipCents !== 0) add(names.tipCents, trip.tipCents);
  if (trip.distanceHundredths !== 0) add(names.distanceHundredths, trip.distanceHundredths);
  add(FARE_SKETCH_NAMES.nameOf(hour, fareBucket), 1);
  if (durationMs !== 0) add(names.durationMs, durationMs);
  add(DURATION_SKETCH_NAMES.nameOf(hour, durationBucket), 1);
  if (trip.passengerCount === undefined) add(names.tripsWithoutPassengers, 1);
  else if (trip.passengerCount === 0) add(names.tripsWithZeroPassengers, 1);
  else if (trip.passengerCount !== 1) add(names.passengersMinusOne, trip.passengerCount - 1);
  if (payment !== CARD_PAYMENT_INDEX) {
    add(PAYMENT_NAMES.nameOf(hour, payment), 1);
    if (trip.tipCents !== 0) add(names.nonCardTipCents, trip.tipCents);
    if (trip.fareCents !== 0) add(names.nonCardFareCents, trip.fareCents);
  }
}

/**
 * Trips per hour of day (index 0..23) of a DAY item; 0 for an hour the item has no attribute for.
 * Needs only HOUR_COUNT_ATTRIBUTES, so it also reads an item projected to them.
 */
export function hourCountsFromItem(item: Record<string, unknown>): number[] {
  return HOUR_COUNT_ATTRIBUTES.map((name) => numberOf(item[name]));
}

/** The stored sums of one bucket (an item, or one hour of a zone DAY item), as read. */
interface StoredSums extends Record<SumField, number> {
  /** Trips per payment code, CARD's left at 0 (it is not stored). */
  payments: number[];
}

function emptySums(): StoredSums {
  const sums = Object.fromEntries(SUM_FIELDS.map((field) => [field, 0])) as Record<SumField, number>;
  return { ...sums, payments: new Array<number>(PAYMENT_TYPES.length).fill(0) };
}

/** Which sum an attribute name holds, and of which hour (zone DAY items), by name. */
const WHOLE_SLOTS = new Map<string, { field: SumField; hour: number }>(SUM_FIELDS.map((field) => [WHOLE_NAMES[field], { field, hour: 0 }]));
const HOURLY_SLOTS = new Map<string, { field: SumField; hour: number }>(
  HOURLY_NAMES.flatMap((names, hour) => SUM_FIELDS.map((field) => [names[field], { field, hour }] as const)),
);

const CHAR_0 = '0'.charCodeAt(0);
const CHAR_9 = '9'.charCodeAt(0);
const CHAR_A = 'a'.charCodeAt(0);
const CHAR_N = 'n'.charCodeAt(0);
const CHAR_Z = 'z'.charCodeAt(0);
const FARE_SKETCH_CODE = FARE_SKETCH_PREFIX.charCodeAt(0);
const DURATION_SKETCH_CODE = DURATION_SKETCH_PREFIX.charCodeAt(0);
const PAYMENT_CODE = PAYMENT_PREFIX.charCodeAt(0);

/**
 * Reads a pickup aggregate item back into the domain's shape: the sums, the operations figures derived
 * from them (see the table above), trips per hour of DAY items, and for zone DAY items each hour, the day
 * being the sum of its hours. Attributes it does not know (keys, marks) are ignored. Names are classified
 * by plain character checks, not regular expressions: this runs on every attribute of every item the API
 * reads (several hundred on a zone DAY item), and a regular expression stood out in the API's CPU profile
 * (docs/benchmarks-analysis.md, section 3, R4).
 */
export function aggregateFromItem(item: Record<string, unknown>, granularity: StoredGranularity, hourlyDetail: boolean): FareAggregate {
  const aggregate = emptyAggregate(granularity, hourlyDetail);
  const sums = hourlyDetail ? Array.from({ length: 24 }, emptySums) : [emptySums()];
  const slots = hourlyDetail ? HOURLY_SLOTS : WHOLE_SLOTS;
  /** The aggregate an hour digit at `index` of `name` names (zone DAY items), or the item's own. */
  const placeOf = (name: string, index: number): FareAggregate | undefined => {
    if (!hourlyDetail) return aggregate;
    const hour = hourOfCode(name.charCodeAt(index));
    return hour === undefined ? undefined : aggregate.hourly![hour];
  };
  const keyStart = hourlyDetail ? 2 : 1;
  for (const name of Object.keys(item)) {
    const first = name.charCodeAt(0);
    if (first === FARE_SKETCH_CODE || first === DURATION_SKETCH_CODE) {
      const place = placeOf(name, 1);
      const bucket = base36Of(name, keyStart);
      if (place === undefined || bucket === undefined) continue;
      const sketch = first === FARE_SKETCH_CODE ? place.fareSketch : place.operations.durationSketch;
      sketch.set(bucket, numberOf(item[name]));
    } else if (first === PAYMENT_CODE) {
      const hour = hourlyDetail ? hourOfCode(name.charCodeAt(1)) : 0;
      const code = name.length === keyStart + 1 ? name.charCodeAt(keyStart) - CHAR_0 : -1;
      if (hour === undefined || !(code >= 0 && code < PAYMENT_TYPES.length) || code === CARD_PAYMENT_INDEX) continue;
      sums[hour].payments[code] = numberOf(item[name]);
    } else {
      const slot = slots.get(name);
      if (slot) sums[slot.hour][slot.field] = numberOf(item[name]);
    }
  }
  if (aggregate.tripsByHourOfDay) aggregate.tripsByHourOfDay = hourCountsFromItem(item);
  if (!aggregate.hourly) {
    applySums(aggregate, sums[0]);
    return aggregate;
  }
  aggregate.hourly.forEach((hour, hourOfDay) => {
    applySums(hour, { ...sums[hourOfDay], trips: aggregate.tripsByHourOfDay![hourOfDay] });
    addHourToDay(aggregate, hour);
  });
  return aggregate;
}

/** Sets an aggregate's sums and derived operations figures from what its item stores. */
function applySums(aggregate: FareAggregate, sums: StoredSums): void {
  const { operations } = aggregate;
  aggregate.trips = sums.trips;
  aggregate.fareCents = sums.fareCents;
  aggregate.totalCents = sums.totalCents;
  aggregate.tipCents = sums.tipCents;
  aggregate.distanceHundredths = sums.distanceHundredths;
  operations.durationMs = sums.durationMs;
  operations.tripsWithPassengers = sums.trips - sums.tripsWithoutPassengers;
  operations.passengerSum = sums.passengersMinusOne + operations.tripsWithPassengers - sums.tripsWithZeroPassengers;
  let nonCardTrips = 0;
  sums.payments.forEach((trips, code) => {
    operations.tripsByPaymentType[code] = trips;
    nonCardTrips += trips;
  });
  operations.tripsByPaymentType[CARD_PAYMENT_INDEX] = sums.trips - nonCardTrips;
  operations.cardTipCents = sums.tipCents - sums.nonCardTipCents;
  operations.cardFareCents = sums.fareCents - sums.nonCardFareCents;
}

/** Adds an hour of a zone DAY item into the day (whose trips per hour are already set). */
function addHourToDay(day: FareAggregate, hour: FareAggregate): void {
  day.trips += hour.trips;
  day.fareCents += hour.fareCents;
  day.totalCents += hour.totalCents;
  day.tipCents += hour.tipCents;
  day.distanceHundredths += hour.distanceHundredths;
  mergeCounts(day.fareSketch, hour.fareSketch);
  const into = day.operations;
  const from = hour.operations;
  into.durationMs += from.durationMs;
  mergeCounts(into.durationSketch, from.durationSketch);
  into.passengerSum += from.passengerSum;
  into.tripsWithPassengers += from.tripsWithPassengers;
  from.tripsByPaymentType.forEach((trips, code) => (into.tripsByPaymentType[code] += trips));
  into.cardTipCents += from.cardTipCents;
  into.cardFareCents += from.cardFareCents;
}

/** The hour an hour digit ('0'..'9', 'a'..'n') stands for; undefined for any other character. */
function hourOfCode(code: number): number | undefined {
  if (code >= CHAR_0 && code <= CHAR_9) return code - CHAR_0;
  if (code >= CHAR_A && code <= CHAR_N) return code - CHAR_A + 10;
  return undefined;
}

/**
 * The number written in base 36 (digits and lower-case letters) from `from` to the end of `name`, as
 * Number.prototype.toString(36) writes it: no leading zero but in "0" itself. Undefined otherwise.
 */
export function base36Of(name: string, from: number): number | undefined {
  if (from >= name.length || (name.charCodeAt(from) === CHAR_0 && name.length > from + 1)) return undefined;
  let value = 0;
  for (let index = from; index < name.length; index++) {
    const code = name.charCodeAt(index);
    const digit = code >= CHAR_0 && code <= CHAR_9 ? code - CHAR_0 : code >= CHAR_A && code <= CHAR_Z ? code - CHAR_A + 10 : -1;
    if (digit < 0) return undefined;
    value = value * 36 + digit;
  }
  return value;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
