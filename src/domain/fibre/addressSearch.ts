/**
 * Address matching for availability by address (seed 002, section 2.2). Partners
 * type addresses by hand and often without Swedish letters, so "Testvägen",
 * "testvagen" and "Test vägen" are one street: case, spacing, punctuation and
 * diacritics (å, ä → a, ö → o, é → e) do not count.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

export interface AddressQuery {
  city?: string;
  street: string;
  number?: string;
  littera?: string;
}

/**
 * A street number may carry its littera ("12B", "12 b"): split it so the two
 * spellings find the same building. An explicit littera wins.
 */
export function splitNumber(number: string | undefined, littera: string | undefined): { number?: string; littera?: string } {
  const n = (number ?? '').trim();
  const l = (littera ?? '').trim();
  const m = /^(\d+)\s*([A-Za-zÅÄÖåäö]?)$/.exec(n);
  if (!m) return { number: n || undefined, littera: l || undefined };
  return { number: m[1], littera: l || m[2] || undefined };
}

/** Whether a point's address answers a query; empty query fields do not filter. */
export function matchesAddress(
  point: { street: string; number: string; littera: string; city: string },
  query: AddressQuery,
): boolean {
  const { number, littera } = splitNumber(query.number, query.littera);
  if (searchKey(point.street) !== searchKey(query.street)) return false;
  if (query.city?.trim() && searchKey(point.city) !== searchKey(query.city)) return false;
  if (number && point.number.trim() !== number) return false;
  if (littera && searchKey(point.littera) !== searchKey(littera)) return false;
  return true;
}
