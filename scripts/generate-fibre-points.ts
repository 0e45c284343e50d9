/**
 * Generates the fibre price API's demo network points (seed 002) into
 * src/db/fibre/fibrePoints.json, deterministically: a fixed-seed PRNG, so running it
 * again writes the same file. The points are committed as data and loaded by
 * src/db/fibreDemoData.ts; rerun this only to change the demo network.
 *
 *   npx tsx scripts/generate-fibre-points.ts
 *
 * Coordinates are written the way the seed writes them: RT 90 2.5 gon V metres,
 * northing in `latitude`, easting in `longitude`, labelled "WGS84" (see
 * src/domain/fibre/coordinates.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { distanceMeters, geodeticToGrid } from '../src/domain/fibre/coordinates';
import type { FibreStatus, NetworkPoint, PointSupplier } from '../src/domain/fibre/pricing';

export const OUT_FILE = path.resolve(__dirname, '..', 'src', 'db', 'fibre', 'fibrePoints.json');
const UPDATED_AT = '2026-11-01T06:00:00.000Z';
const POINTS_PER_DISTRICT = 85;
const NODES_PER_DISTRICT = 3;

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

interface District {
  code: string;
  name: string;
  city: string;
  municipality: string;
  lat: number;
  lon: number;
  postal: string;
  /** Share of villas (SDU) among buildings. */
  villas: number;
  streets: string[];
}

const DISTRICTS: District[] = [
  { code: 'GAST', name: 'GAMLA STAN', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.3251, lon: 18.0711, postal: '111', villas: 0, streets: ['Västerlånggatan', 'Österlånggatan', 'Stora Nygatan', 'Lilla Nygatan', 'Köpmangatan', 'Prästgatan'] },
  { code: 'SODM', name: 'SÖDERMALM', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.315, lon: 18.07, postal: '118', villas: 0, streets: ['Götgatan', 'Hornsgatan', 'Folkungagatan', 'Ringvägen', 'Åsögatan', 'Bondegatan'] },
  { code: 'VASA', name: 'VASASTAN', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.344, lon: 18.045, postal: '113', villas: 0, streets: ['Odengatan', 'Sankt Eriksgatan', 'Upplandsgatan', 'Västmannagatan', 'Dalagatan'] },
  { code: 'OSTM', name: 'ÖSTERMALM', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.338, lon: 18.085, postal: '114', villas: 0, streets: ['Karlavägen', 'Strandvägen', 'Linnégatan', 'Storgatan', 'Valhallavägen'] },
  { code: 'KUNG', name: 'KUNGSHOLMEN', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.332, lon: 18.03, postal: '112', villas: 0, streets: ['Fleminggatan', 'Hantverkargatan', 'Scheelegatan', 'Sankt Göransgatan'] },
  { code: 'NMLM', name: 'NORRMALM', city: 'Stockholm', municipality: 'STOCKHOLM', lat: 59.336, lon: 18.06, postal: '111', villas: 0, streets: ['Drottninggatan', 'Sveavägen', 'Kungsgatan', 'Vasagatan'] },
  { code: 'BROM', name: 'BROMMA', city: 'Bromma', municipality: 'STOCKHOLM', lat: 59.338, lon: 17.94, postal: '168', villas: 0.6, streets: ['Drottningholmsvägen', 'Bergslagsvägen', 'Ulvsundavägen', 'Nockebyvägen'] },
  { code: 'HAGS', name: 'HÄGERSTEN', city: 'Hägersten', municipality: 'STOCKHOLM', lat: 59.296, lon: 17.98, postal: '129', villas: 0.4, streets: ['Hägerstensvägen', 'Västertorpsvägen', 'Personnevägen'] },
  { code: 'FARS', name: 'FARSTA', city: 'Farsta', municipality: 'STOCKHOLM', lat: 59.243, lon: 18.093, postal: '123', villas: 0.3, streets: ['Farstavägen', 'Larsbodavägen', 'Magelungsvägen'] },
  { code: 'KIST', name: 'KISTA', city: 'Kista', municipality: 'STOCKHOLM', lat: 59.403, lon: 17.944, postal: '164', villas: 0.1, streets: ['Kistagången', 'Isafjordsgatan', 'Torshamnsgatan'] },
  { code: 'SOLN', name: 'SOLNA CENTRUM', city: 'Solna', municipality: 'SOLNA', lat: 59.36, lon: 18.0, postal: '171', villas: 0.1, streets: ['Råsundavägen', 'Frösundaleden', 'Hagalundsgatan'] },
  { code: 'SBRG', name: 'SUNDBYBERG', city: 'Sundbyberg', municipality: 'SUNDBYBERG', lat: 59.361, lon: 17.971, postal: '172', villas: 0.1, streets: ['Landsvägen', 'Sturegatan', 'Järnvägsgatan'] },
  { code: 'NACK', name: 'SICKLA', city: 'Nacka', municipality: 'NACKA', lat: 59.31, lon: 18.163, postal: '131', villas: 0.5, streets: ['Värmdövägen', 'Skönviksvägen', 'Vikdalsvägen'] },
  { code: 'LIDI', name: 'LIDINGÖ CENTRUM', city: 'Lidingö', municipality: 'LIDINGÖ', lat: 59.366, lon: 18.15, postal: '181', villas: 0.7, streets: ['Stockholmsvägen', 'Kyrkvägen', 'Torsviksvägen'] },
];

const BLOCKS = ['PELIKANEN', 'ORMEN', 'SVANEN', 'BJÖRNEN', 'HÄGERN', 'VÄKTAREN', 'KRUKMAKAREN', 'SKEPPAREN', 'LÄRKAN', 'GRIPEN', 'TRANAN', 'ROSEN'];

const SEED_ORIGIN = { northing: 6581619.085, easting: 1628539.32 };
const UNLIMITED = 96;

function supplier(name: string, fiberStatus: FibreStatus, statusValidationRequired: boolean, freeFibers = UNLIMITED): PointSupplier {
  return { name, fiberStatus, statusValidationRequired, freeFibers };
}

function seedPoint(pointId: string, number: string, offset: { dn: number; de: number }, suppliers: PointSupplier[], extra: Partial<NetworkPoint> = {}): NetworkPoint {
  return {
    pointId,
    address: { street: 'Testvägen', number, littera: '', postalCode: '10000', city: 'Ankeborg', countryCode: 'SE' },
    building: { distinguisher: '', type: 'MDU' },
    realEstate: { label: 'PENGABINGEN 1', municipality: 'ANKEBORG' },
    coordinate: {
      latitude: Math.round((SEED_ORIGIN.northing + offset.dn) * 1000) / 1000,
      longitude: Math.round((SEED_ORIGIN.easting + offset.de) * 1000) / 1000,
      projection: 'WGS84',
    },
    district: 'GAMLA STAN',
    suppliers,
    relatedPointIds: [],
    pointInfo: { name: pointId, type: 'H', aNode: 'ANKB-N1', oNode: 'O-ANKB' },
    ...extra,
  };
}

/**
 * The seed's own points, in Ankeborg (fictional; its coordinates are Norrmalm's):
 * NORR1234 and ABC123 share Testvägen 100 (an address search finds both), CDE678
 * lies 987 m away (the distance in the seed's price example), CBA123 is the seed's
 * redundancy point. NOCAP1 and NOFIBER1 show an inquiry that fails.
 */
function seedPoints(): NetworkPoint[] {
  const stokab = supplier('STOKAB', 'IN_REAL_ESTATE', true);
  return [
    seedPoint('NORR1234', '100', { dn: 0, de: 0 }, [stokab], { relatedPointIds: ['CDE678'] }),
    seedPoint('ABC123', '100', { dn: 0, de: 0 }, [stokab], { relatedPointIds: ['CDE678'] }),
    seedPoint('CDE678', '120', { dn: 592.2, de: 789.6 }, [supplier('STOKAB', 'IN_REAL_ESTATE', false), supplier('SVEANET', 'AT_ADDRESS', true)], {
      realEstate: { label: 'PENGABINGEN 7', municipality: 'ANKEBORG' },
    }),
    seedPoint('CBA123', '80', { dn: -400, de: -250 }, [supplier('STOKAB', 'AT_ADDRESS', false), supplier('SVEANET', 'IN_REAL_ESTATE', false)], {
      realEstate: { label: 'PENGABINGEN 3', municipality: 'ANKEBORG' },
    }),
    seedPoint('NOCAP1', '2', { dn: 150, de: -120 }, [supplier('STOKAB', 'IN_REAL_ESTATE', false, 0)], {
      realEstate: { label: 'PENGABINGEN 12', municipality: 'ANKEBORG' },
    }),
    seedPoint('NOFIBER1', '3', { dn: 160, de: -140 }, [], { realEstate: { label: 'PENGABINGEN 13', municipality: 'ANKEBORG' } }),
    seedPoint('ANKB-N1', '1', { dn: 300, de: 200 }, [stokab, supplier('SVEANET', 'IN_REAL_ESTATE', false)], {
      realEstate: { label: 'PENGABINGEN 20', municipality: 'ANKEBORG' },
      pointInfo: { name: 'ANKB-N1', type: 'N', aNode: '', oNode: 'O-ANKB' },
    }),
  ];
}

function fiberStatus(): FibreStatus {
  const r = random();
  return r < 0.65 ? 'IN_REAL_ESTATE' : r < 0.85 ? 'AT_ADDRESS' : 'AT_SITE_BOUNDARY';
}

function suppliersFor(d: District): PointSupplier[] {
  const out: PointSupplier[] = [];
  const inStockholm = d.municipality === 'STOCKHOLM';
  if (random() < (inStockholm ? 0.92 : 0.7)) {
    const status = fiberStatus();
    out.push(supplier('STOKAB', status, random() < (status === 'IN_REAL_ESTATE' ? 0.1 : 0.5), random() < 0.03 ? 0 : 8 + Math.floor(random() * 89)));
  }
  if (random() < (inStockholm ? 0.35 : 0.6)) {
    const status = fiberStatus();
    out.push(supplier('SVEANET', status, random() < (status === 'IN_REAL_ESTATE' ? 0.15 : 0.6), random() < 0.03 ? 0 : 4 + Math.floor(random() * 45)));
  }
  return out;
}

function districtPoints(d: District): NetworkPoint[] {
  const centre = geodeticToGrid('RT90', { lat: d.lat, lon: d.lon });
  const at = (radius: number) => {
    const angle = random() * 2 * Math.PI;
    const r = Math.sqrt(random()) * radius;
    return { latitude: Math.round((centre.northing + r * Math.cos(angle)) * 1000) / 1000, longitude: Math.round((centre.easting + r * Math.sin(angle)) * 1000) / 1000, projection: 'WGS84' };
  };
  const nodes: NetworkPoint[] = Array.from({ length: NODES_PER_DISTRICT }, (_, i) => ({
    pointId: `${d.code}-N${i + 1}`,
    address: { street: d.streets[i % d.streets.length]!, number: String(200 + i), littera: '', postalCode: `${d.postal}${String(10 + i).padStart(2, '0')}`, city: d.city, countryCode: 'SE' },
    building: { distinguisher: 'Nodhus', type: 'MDU' },
    realEstate: { label: `${pick(BLOCKS)} ${1 + Math.floor(random() * 30)}`, municipality: d.municipality },
    coordinate: at(600),
    district: d.name,
    suppliers: [supplier('STOKAB', 'IN_REAL_ESTATE', false), ...(random() < 0.7 ? [supplier('SVEANET', 'IN_REAL_ESTATE', false)] : [])],
    relatedPointIds: [],
    pointInfo: { name: `${d.code}-N${i + 1}`, type: 'N', aNode: '', oNode: `O-${d.code}` },
  }));
  const used = new Set<string>();
  const points: NetworkPoint[] = [];
  for (let i = 1; points.length < POINTS_PER_DISTRICT; i++) {
    const street = pick(d.streets);
    const number = String(1 + Math.floor(random() * 80));
    const littera = random() < 0.12 ? pick(['A', 'B', 'C']) : '';
    const key = `${street}|${number}|${littera}`;
    if (used.has(key)) continue;
    used.add(key);
    const villa = random() < d.villas;
    const coordinate = at(900);
    const nearest = nodes.reduce((best, n) => (distanceMeters(coordinate, n.coordinate) < distanceMeters(coordinate, best.coordinate) ? n : best));
    const pointId = `${d.code}${String(i).padStart(4, '0')}`;
    const base: NetworkPoint = {
      pointId,
      address: { street, number, littera, postalCode: `${d.postal}${String(20 + Math.floor(random() * 60)).padStart(2, '0')}`, city: d.city, countryCode: 'SE' },
      building: { distinguisher: '', type: villa ? 'SDU' : 'MDU' },
      realEstate: { label: `${pick(BLOCKS)} ${1 + Math.floor(random() * 40)}`, municipality: d.municipality },
      coordinate,
      district: d.name,
      suppliers: suppliersFor(d),
      relatedPointIds: [],
      pointInfo: { name: pointId, type: villa ? 'HK' : 'H', aNode: nearest.pointId, oNode: `O-${d.code}` },
    };
    points.push(base);
    // Some apartment blocks have two buildings on one address: an address search answers both.
    if (!villa && random() < 0.04) {
      const second = `${pointId}B`;
      base.building.distinguisher = 'Hus A';
      points.push({ ...base, pointId: second, building: { distinguisher: 'Hus B', type: 'MDU' }, coordinate: { ...coordinate, latitude: coordinate.latitude + 25 }, suppliers: suppliersFor(d), pointInfo: { ...base.pointInfo, name: second } });
    }
  }
  return [...nodes, ...points];
}

/** Up to five other addresses within 500 m, nearest first; the seed's own links come first. */
function linkRelated(points: NetworkPoint[]): void {
  const addresses = points.filter((p) => p.pointInfo.type !== 'N');
  for (const p of addresses) {
    const near = addresses
      .filter((q) => q !== p)
      .map((q) => ({ id: q.pointId, d: distanceMeters(p.coordinate, q.coordinate) }))
      .filter((x) => x.d <= 500)
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
      .map((x) => x.id);
    p.relatedPointIds = [...new Set([...p.relatedPointIds, ...near])].slice(0, 5);
  }
}

export function generateFibrePoints(): (NetworkPoint & { updatedAt: string })[] {
  const points = [...seedPoints(), ...DISTRICTS.flatMap(districtPoints)];
  linkRelated(points);
  return points.map((p) => ({ ...p, updatedAt: UPDATED_AT }));
}

if (require.main === module) {
  const points = generateFibrePoints();
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  // One point per line keeps a regenerated file reviewable as a diff.
  fs.writeFileSync(OUT_FILE, `[\n${points.map((p) => JSON.stringify(p)).join(',\n')}\n]\n`);
  console.log(`wrote ${points.length} points to ${path.relative(process.cwd(), OUT_FILE)}`);
}
