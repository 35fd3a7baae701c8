import dns from 'node:dns';
import net from 'node:net';

/**
 * SSRF guard for notify_url: the server posts to addresses its users choose, so an address inside the server's
 * own network (loopback, link-local with the cloud metadata service, RFC 1918, IPv6 unique-local, the unspecified
 * address...) is refused unless the admin allows it (NOTIFY_ALLOW_PRIVATE_HOSTS). Checked when a channel is
 * enabled, and again on every delivery at the moment the socket connects (DNS may have changed in between).
 */

const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT: private in practice
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, 169.254.169.254 is the metadata service of most clouds
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
];
const BLOCKED_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local, fd00:ec2::254 is AWS's metadata service
  ['fe80::', 10],
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 reaches any IPv4 address, private ones too: refused as a whole (conservative)
];

function blockList(entries: [string, number, 'ipv4' | 'ipv6'][]): net.BlockList {
  const list = new net.BlockList();
  for (const [address, prefix, family] of entries) list.addSubnet(address, prefix, family);
  return list;
}

const BLOCKED = blockList([
  ...BLOCKED_V4.map(([a, p]): [string, number, 'ipv4'] => [a, p, 'ipv4']),
  ...BLOCKED_V6.map(([a, p]): [string, number, 'ipv6'] => [a, p, 'ipv6']),
]);

/** ::ffff:127.0.0.1 reaches 127.0.0.1: judge an IPv4-mapped address by its IPv4 half. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

/** What the admin allows despite being private: addresses, CIDR ranges, or `*` for every address. */
export interface AllowedPrivate {
  all: boolean;
  list: net.BlockList;
}

/** NOTIFY_ALLOW_PRIVATE_HOSTS: `127.0.0.1`, `10.1.0.0/16`, `::1`, or `*`, comma-separated. */
export function allowedPrivate(entries: readonly string[]): AllowedPrivate {
  const list = new net.BlockList();
  let all = false;
  for (const entry of entries) {
    if (entry === '*') {
      all = true;
      continue;
    }
    const [address, prefix] = entry.split('/');
    const family = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : undefined;
    if (!family) throw new Error(`NOTIFY_ALLOW_PRIVATE_HOSTS: ${entry} is not an address or CIDR range`);
    const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv4' ? 32 : 128))
      throw new Error(`NOTIFY_ALLOW_PRIVATE_HOSTS: ${entry} has a bad prefix length`);
    list.addSubnet(address, bits, family);
  }
  return { all, list };
}

/** Why this address may not be posted to, or undefined when it may. */
export function refusedAddress(raw: string, allowed: AllowedPrivate): string | undefined {
  const { address, family } = normalise(raw);
  if (!BLOCKED.check(address, family)) return undefined;
  if (allowed.all || allowed.list.check(address, family)) return undefined;
  return `${raw} is a loopback, link-local, private or reserved address`;
}

export class RefusedAddress extends Error {}

type Resolved = { address: string; family: number };
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | Resolved[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request: resolves the host, and refuses the connection unless every address it resolves to
 * is allowed. The socket connects to an address checked here, so a DNS answer that changes between the check and
 * the connection (rebinding) cannot slip through. Answers in both shapes net asks for: one address, or all of them
 * (`all: true`, when it tries IPv6 and IPv4 in turn).
 */
export function guardedLookup(allowed: AllowedPrivate) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => refusedAddress(a.address, allowed)).find(Boolean);
      if (refused || addresses.length === 0)
        return callback(new RefusedAddress(refused ?? `${hostname} has no address`), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** All addresses a host name (or literal address) stands for, for the check when a channel is enabled. */
export async function addressesOf(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return [bare];
  const found = await dns.promises.lookup(bare, { all: true, verbatim: true });
  return found.map((a) => a.address);
}
