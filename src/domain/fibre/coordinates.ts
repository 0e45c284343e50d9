/**
 * Coordinates as the price API serves them, and the distance between two of them.
 *
 * Seed 002 labels every coordinate `"projection": "WGS84"` but its example holds
 * grid metres (latitude 6581619.085, longitude 1628539.32). Those values are a
 * Swedish national grid, northing in `latitude` and easting in `longitude`; the
 * easting above 1 100 000 is RT 90 2.5 gon V (Gamla stan, Stockholm), while
 * SWEREF 99 TM eastings stay between about 200 000 and 1 000 000. Partners copy
 * the label without the values, so we trust the values: degrees when they fit in
 * ±90/±180, otherwise a grid chosen by the easting.
 */
export interface Coordinate {
  latitude: number;
  longitude: number;
  projection: string;
}

export type CoordinateSystem = 'WGS84' | 'SWEREF99TM' | 'RT90';

export function coordinateSystemOf(c: Pick<Coordinate, 'latitude' | 'longitude'>): CoordinateSystem {
  if (Math.abs(c.latitude) <= 90 && Math.abs(c.longitude) <= 180) return 'WGS84';
  return c.longitude >= 1_100_000 ? 'RT90' : 'SWEREF99TM';
}

/** A Gauss–Krüger projection on the GRS 80 ellipsoid (Lantmäteriet's formulas). */
interface Projection {
  centralMeridian: number;
  scale: number;
  falseNorthing: number;
  falseEasting: number;
}

const PROJECTIONS: Record<Exclude<CoordinateSystem, 'WGS84'>, Projection> = {
  SWEREF99TM: { centralMeridian: 15, scale: 0.9996, falseNorthing: 0, falseEasting: 500_000 },
  // RT 90 2.5 gon V expressed directly on GRS 80, as Lantmäteriet publishes it for SWEREF 99 users.
  RT90: { centralMeridian: 15 + 48 / 60 + 22.624306 / 3600, scale: 1.00000561024, falseNorthing: -667.711, falseEasting: 1_500_064.274 },
};

const AXIS = 6_378_137;
const FLATTENING = 1 / 298.257222101;
const E2 = FLATTENING * (2 - FLATTENING);
const N = FLATTENING / (2 - FLATTENING);
const A_ROOF = (AXIS / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64);
const RAD = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}
export interface GridPoint {
  northing: number;
  easting: number;
}

/** The four-term series both directions of the projection use: Σ c·sin(2jξ)·cosh(2jη) and Σ c·cos(2jξ)·sinh(2jη). */
function harmonics(coefficients: number[], xi: number, eta: number): { xi: number; eta: number } {
  return coefficients.reduce(
    (acc, c, i) => {
      const j = 2 * (i + 1);
      return { xi: acc.xi + c * Math.sin(j * xi) * Math.cosh(j * eta), eta: acc.eta + c * Math.cos(j * xi) * Math.sinh(j * eta) };
    },
    { xi: 0, eta: 0 },
  );
}

export function gridToGeodetic(system: Exclude<CoordinateSystem, 'WGS84'>, p: GridPoint): LatLon {
  const proj = PROJECTIONS[system];
  const d1 = N / 2 - (2 * N ** 2) / 3 + (37 * N ** 3) / 96 - N ** 4 / 360;
  const d2 = N ** 2 / 48 + N ** 3 / 15 - (437 * N ** 4) / 1440;
  const d3 = (17 * N ** 3) / 480 - (37 * N ** 4) / 840;
  const d4 = (4397 * N ** 4) / 161280;
  const aStar = E2 + E2 ** 2 + E2 ** 3 + E2 ** 4;
  const bStar = -(7 * E2 ** 2 + 17 * E2 ** 3 + 30 * E2 ** 4) / 6;
  const cStar = (224 * E2 ** 3 + 889 * E2 ** 4) / 120;
  const dStar = -(4279 * E2 ** 4) / 1260;
  const xi = (p.northing - proj.falseNorthing) / (proj.scale * A_ROOF);
  const eta = (p.easting - proj.falseEasting) / (proj.scale * A_ROOF);
  const corr = harmonics([d1, d2, d3, d4], xi, eta);
  const xiP = xi - corr.xi;
  const etaP = eta - corr.eta;
  const phiStar = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
  const dLambda = Math.atan(Math.sinh(etaP) / Math.cos(xiP));
  const s = Math.sin(phiStar);
  const phi = phiStar + s * Math.cos(phiStar) * (aStar + bStar * s ** 2 + cStar * s ** 4 + dStar * s ** 6);
  return { lat: phi / RAD, lon: proj.centralMeridian + dLambda / RAD };
}

export function geodeticToGrid(system: Exclude<CoordinateSystem, 'WGS84'>, p: LatLon): GridPoint {
  const proj = PROJECTIONS[system];
  const a = E2;
  const b = (5 * E2 ** 2 - E2 ** 3) / 6;
  const c = (104 * E2 ** 3 - 45 * E2 ** 4) / 120;
  const d = (1237 * E2 ** 4) / 1260;
  const b1 = N / 2 - (2 * N ** 2) / 3 + (5 * N ** 3) / 16 + (41 * N ** 4) / 180;
  const b2 = (13 * N ** 2) / 48 - (3 * N ** 3) / 5 + (557 * N ** 4) / 1440;
  const b3 = (61 * N ** 3) / 240 - (103 * N ** 4) / 140;
  const b4 = (49561 * N ** 4) / 161280;
  const phi = p.lat * RAD;
  const s = Math.sin(phi);
  const phiStar = phi - s * Math.cos(phi) * (a + b * s ** 2 + c * s ** 4 + d * s ** 6);
  const dLambda = (p.lon - proj.centralMeridian) * RAD;
  const xiP = Math.atan(Math.tan(phiStar) / Math.cos(dLambda));
  const etaP = Math.atanh(Math.cos(phiStar) * Math.sin(dLambda));
  const k = proj.scale * A_ROOF;
  const corr = harmonics([b1, b2, b3, b4], xiP, etaP);
  return {
    northing: k * (xiP + corr.xi) + proj.falseNorthing,
    easting: k * (etaP + corr.eta) + proj.falseEasting,
  };
}

/** SWEREF 99 TM metres for any coordinate we accept: the common ground for mixed pairs. */
function toSweref(c: Pick<Coordinate, 'latitude' | 'longitude'>): GridPoint {
  const system = coordinateSystemOf(c);
  if (system === 'SWEREF99TM') return { northing: c.latitude, easting: c.longitude };
  const geodetic = system === 'WGS84' ? { lat: c.latitude, lon: c.longitude } : gridToGeodetic(system, { northing: c.latitude, easting: c.longitude });
  return geodeticToGrid('SWEREF99TM', geodetic);
}

/**
 * Straight-line distance in metres. Two coordinates in the same grid are compared
 * in that grid (exact for the seed's own numbers); anything else goes through
 * SWEREF 99 TM, whose scale error over Sweden is well under 0.1 %.
 */
export function distanceMeters(a: Pick<Coordinate, 'latitude' | 'longitude'>, b: Pick<Coordinate, 'latitude' | 'longitude'>): number {
  const sa = coordinateSystemOf(a);
  const sb = coordinateSystemOf(b);
  const [pa, pb] =
    sa === sb && sa !== 'WGS84'
      ? [{ northing: a.latitude, easting: a.longitude }, { northing: b.latitude, easting: b.longitude }]
      : [toSweref(a), toSweref(b)];
  return Math.hypot(pa.northing - pb.northing, pa.easting - pb.easting);
}
