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
