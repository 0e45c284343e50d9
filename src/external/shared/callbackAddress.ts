import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * Where this service may POST a callback a buyer registered: never to itself or to the
 * network it runs in (a listener URL is chosen by the buyer, and a seller that calls any
 * address it is given is a proxy into its own network). `allowPrivate` (a setting) lifts
 * that for a local setup; production also requires https.
 */
export interface CallbackPolicy {
  httpsOnly: boolean;
  allowPrivate: boolean;
}

/** Why `url` is not a callback this service calls, or undefined when it is (from the URL alone: a literal address or a local name). */
export function callbackUrlProblem(url: string, policy: CallbackPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && !policy.httpsOnly)) return policy.httpsOnly ? 'must be an https URL' : 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  const host = hostOf(parsed);
  if (!policy.allowPrivate && (isLocalName(host) || (net.isIP(host) && isPrivateAddress(host)))) return `must not name a loopback or private address (${host})`;
  return undefined;
}

/** The same check at delivery time, on the addresses the name resolves to now (a public name may point inside later). */
export async function callbackAddressProblem(url: string, policy: CallbackPolicy): Promise<string | undefined> {
  const problem = callbackUrlProblem(url, policy);
  if (problem || policy.allowPrivate) return problem;
  const host = hostOf(new URL(url));
  if (net.isIP(host)) return undefined;
  const addresses = await lookup(host, { all: true }).catch(() => undefined);
  if (!addresses?.length) return `host ${host} does not resolve`;
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  return inside ? `${host} resolves to a loopback or private address (${inside.address})` : undefined;
}

/** The host as an address or a name: no IPv6 brackets, no root dot (`localhost.` is localhost). */
const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');

const isLocalName = (host: string): boolean => /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host);

/** Loopback, private, link-local, unique-local, unspecified and carrier-grade NAT ranges (IPv4, IPv6 and IPv4-mapped IPv6). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // The URL parser writes an IPv4-mapped address in hex (::ffff:7f00:1).
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const [hi, lo] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const lower = address.toLowerCase();
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}
