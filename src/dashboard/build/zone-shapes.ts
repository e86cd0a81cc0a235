/**
 * The taxi-zone shapes the dashboard's map draws: the TLC's zone polygons (4 MB, ~98,000 points)
 * simplified at build time to what a browser should download. The simplification is topological
 * (topojson-server + topojson-simplify): a border shared by two zones is one arc, simplified once, so
 * neighbouring zones never open gaps or overlap. Every zone keeps a drawable shape, however small.
 */
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile } from 'topojson-simplify';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';

/** What the map needs of a zone: its TLC LocationID, name and borough (as the TLC lookup spells it). */
export interface ZoneShapeProperties {
  readonly id: number;
  readonly name: string;
  readonly borough: string;
}

export type ZoneShapes = FeatureCollection<Polygon | MultiPolygon, ZoneShapeProperties>;

export class ZoneShapesError extends Error {
  override name = 'ZoneShapesError';
}

/** The shipped file's budget (bytes of JSON) and the precision kept: 4 decimals of a degree is ~10 m. */
export const ZONE_SHAPES_MAX_BYTES = 300 * 1024;
const DECIMALS = 4;
// Fractions of the interior points to try keeping, most detailed first: the first that fits the budget wins.
const KEEP_FRACTIONS = [0.5, 0.4, 0.32, 0.25, 0.2, 0.16, 0.12, 0.09, 0.06, 0.04, 0.02];
// Points kept on every arc whatever their weight, so that a small island's ring stays a polygon.
const MIN_INTERIOR_POINTS_PER_ARC = 2;

interface SourceProperties {
  LocationID?: unknown;
  zone?: unknown;
  borough?: unknown;
}

/** Reads the TLC taxi-zone GeoJSON (properties LocationID, zone, borough). */
export function readZoneSource(path: string): FeatureCollection<Polygon | MultiPolygon, SourceProperties> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, SourceProperties>;
  if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) {
    throw new ZoneShapesError(`${path} is not a GeoJSON FeatureCollection`);
  }
  return parsed;
}

/**
 * Simplifies the zones to the most detailed version whose JSON fits `maxBytes`, with properties
 * reduced to { id, name, borough } and coordinates rounded to ~10 m. Throws when no candidate fits or
 * when a zone would lose its shape.
 */
export function simplifyZoneShapes(
  source: FeatureCollection<Polygon | MultiPolygon, SourceProperties>,
  maxBytes: number = ZONE_SHAPES_MAX_BYTES,
): { shapes: ZoneShapes; json: string; keptFraction: number } {
  const zones = source.features.map(normaliseFeature);
  const topo = topology({ zones: { type: 'FeatureCollection', features: zones } as FeatureCollection }, 1e6);
  const weighted = presimplify(topo as unknown as Topology<Objects<object>>) as unknown as Topology;
  for (const keptFraction of KEEP_FRACTIONS) {
    const simplified = keepPoints(weighted, quantile(weighted, keptFraction));
    const collection = feature(simplified, simplified.objects.zones as GeometryCollection<ZoneShapeProperties>) as unknown as ZoneShapes;
    const shapes = roundShapes(collection);
    const json = JSON.stringify(shapes);
    if (Buffer.byteLength(json) <= maxBytes) return { shapes, json, keptFraction };
  }
  throw new ZoneShapesError(`the zone shapes do not fit in ${maxBytes} bytes even at ${KEEP_FRACTIONS.at(-1)} of their points`);
}

function normaliseFeature(input: Feature<Polygon | MultiPolygon, SourceProperties>, index: number): Feature<Polygon | MultiPolygon> {
  const { LocationID, zone, borough } = input.properties ?? {};
  const id = Number(LocationID);
  if (!Number.isInteger(id) || typeof zone !== 'string' || typeof borough !== 'string') {
    throw new ZoneShapesError(`feature ${index} lacks LocationID, zone or borough`);
  }
  const kind: string | undefined = (input.geometry as { type?: string } | null)?.type;
  if (kind !== 'Polygon' && kind !== 'MultiPolygon') throw new ZoneShapesError(`zone ${id} is a ${kind}, not a polygon`);
  const properties: ZoneShapeProperties = { id, name: zone, borough };
  return { type: 'Feature', id, properties, geometry: input.geometry };
}

/**
 * topojson-simplify's simplify(), except that each arc also keeps its most important interior
 * points: a zone that is a single small ring (an island) would otherwise shrink to its endpoints.
 */
function keepPoints(weighted: Topology, minWeight: number): Topology {
  const arcs = weighted.arcs.map((arc) => {
    const interiorWeights = arc
      .slice(1, -1)
      .map((point) => point[2])
      .sort((a, b) => b - a);
    const floor = Math.min(minWeight, interiorWeights[MIN_INTERIOR_POINTS_PER_ARC - 1] ?? Infinity);
    return arc.filter((point) => point[2] >= floor).map((point) => [point[0], point[1]]);
  });
  return { ...weighted, arcs };
}

function roundShapes(collection: ZoneShapes): ZoneShapes {
  return {
    type: 'FeatureCollection',
    features: collection.features.map((zone) => {
      const geometry = roundGeometry(zone.geometry, zone.properties.id);
      return { type: 'Feature', id: zone.properties.id, properties: zone.properties, geometry };
    }),
  };
}

function roundGeometry(geometry: Polygon | MultiPolygon, id: number): Polygon | MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rounded = polygons
    .map((rings) => rings.map(roundRing))
    // A polygon whose outer ring collapsed is dropped; its holes go with it.
    .filter((rings) => rings[0].length >= 4)
    .map((rings) => rings.filter((ring) => ring.length >= 4));
  if (rounded.length === 0) throw new ZoneShapesError(`zone ${id} lost its shape in the simplification`);
  return rounded.length === 1 ? { type: 'Polygon', coordinates: rounded[0] } : { type: 'MultiPolygon', coordinates: rounded };
}

function roundRing(ring: Position[]): Position[] {
  const scale = 10 ** DECIMALS;
  const out: Position[] = [];
  for (const [x, y] of ring) {
    const point = [Math.round(x * scale) / scale, Math.round(y * scale) / scale];
    const last = out.at(-1);
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out;
}
