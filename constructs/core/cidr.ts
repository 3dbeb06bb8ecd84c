/** IPv4 CIDR arithmetic for validating VPC and subnet ranges. */

/** Parses an IPv4 CIDR into its address as a 32-bit number and its prefix, or undefined when malformed. */
export function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined; // host bits set: not a network address
  return { address, prefix };
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

/** True when the CIDR lies wholly inside an RFC 1918 private range. */
export function isPrivateCidr(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (!parsed) return false;
  return PRIVATE_RANGES.some((range) => {
    const mask = (0xffffffff << (32 - range.prefix)) >>> 0;
    return parsed.prefix >= range.prefix && (parsed.address & mask) >>> 0 === range.address;
  });
}

/** Writes a 32-bit address and a prefix as `a.b.c.d/p`. */
export function formatCidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff);
  return `${octets.join(".")}/${prefix}`;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/**
 * The `index`-th block of prefix `newPrefix` inside `cidr` (Terraform's `cidrsubnet(cidr, newPrefix - prefix, index)`).
 * Throws when the block does not fit: callers check sizes first.
 */
export function subnetOf(cidr: string, newPrefix: number, index: number): string {
  const parent = parseCidr(cidr);
  if (!parent || newPrefix < parent.prefix || newPrefix > 32) throw new Error(`no /${newPrefix} inside ${cidr}`);
  const count = 2 ** (newPrefix - parent.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${cidr} holds ${count} blocks of /${newPrefix}, not ${index + 1}`);
  }
  return formatCidr(parent.address + index * blockSize(newPrefix), newPrefix);
}

/** True when `inner` lies wholly inside `outer` (both valid CIDRs). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.prefix < o.prefix) return false;
  return i.address >= o.address && i.address + blockSize(i.prefix) <= o.address + blockSize(o.prefix);
}

/** True when two valid CIDRs share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.address < y.address + blockSize(y.prefix) && y.address < x.address + blockSize(x.prefix);
}
