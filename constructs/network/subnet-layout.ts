import { blockSize, cidrContains, cidrsOverlap, isPrivateCidr, parseCidr, subnetOf } from "../core/cidr";
import { ValidationError } from "../core/validation";

/**
 * How a VPC reaches the internet. `none` (the default): not at all, AWS services through VPC endpoints only;
 * `nat`: a NAT gateway per availability zone; `single-nat`: one NAT gateway for the whole VPC (cheaper, a zone
 * outage cuts every zone's egress: for dev).
 */
export type EgressMode = "none" | "nat" | "single-nat";
/** The values {@link EgressMode} takes. */
export const EGRESS_MODES: readonly EgressMode[] = ["none", "nat", "single-nat"];

/** The subnet tiers of a {@link SecureVpc}. */
export type SubnetTier = "private" | "isolated" | "public";

/** Explicit subnet CIDRs per tier, one per availability zone in zone order. */
export interface SubnetCidrs {
  /** Subnets for nodes and internal load balancers, one per zone. */
  readonly private: readonly string[];
  /** Subnets with no route out, for interface endpoints, one per zone. */
  readonly isolated: readonly string[];
  /** Subnets for NAT gateways: one per zone with egress `nat`, exactly one with `single-nat`, none with `none`. */
  readonly public?: readonly string[];
}

/** The CIDR of every subnet, per tier, in zone order. `public` is empty when the egress mode needs no public subnet. */
export interface SubnetLayout {
  /** CIDRs of the subnets for nodes and internal load balancers. */
  readonly private: readonly string[];
  /** CIDRs of the subnets with no route out, for interface endpoints. */
  readonly isolated: readonly string[];
  /** CIDRs of the subnets for NAT gateways. */
  readonly public: readonly string[];
}

/** What {@link planSubnets} needs to know. */
export interface SubnetLayoutRequest {
  /** The VPC's CIDR, which the subnets divide. */
  readonly vpcCidr: string;
  /** Zones to spread over: one subnet of each tier per zone. */
  readonly availabilityZoneCount: number;
  /** The egress mode, which decides the public subnets. */
  readonly egress: EgressMode;
  /** Addresses each isolated subnet must have free (one per interface endpoint). */
  readonly isolatedAddressesNeeded: number;
  /** Explicit CIDRs; derived from `vpcCidr` when left out. */
  readonly subnetCidrs?: SubnetCidrs;
}

/** AWS keeps 5 addresses of every subnet (network, router, DNS, future use, broadcast). */
export const AWS_RESERVED_ADDRESSES = 5;
/** Nodes and their pods take addresses from the private subnets (VPC CNI): fewer than 64 is not a cluster. */
export const MIN_PRIVATE_SUBNET_ADDRESSES = 64;
/** The smallest subnet AWS accepts. */
const SMALLEST_SUBNET_PREFIX = 28;
/** The largest subnet AWS accepts. */
const LARGEST_SUBNET_PREFIX = 16;

/** Checks a VPC CIDR: an IPv4 network inside an RFC 1918 range, prefix /16 to /24. */
export function checkVpcCidr(where: string, property: string, cidr: string): void {
  const parsed = parseCidr(cidr);
  if (!parsed) {
    throw new ValidationError(where, property, cidr, "allowed: an IPv4 network in CIDR form such as 10.20.0.0/16");
  }
  if (!isPrivateCidr(cidr)) {
    throw new ValidationError(
      where,
      property,
      cidr,
      "allowed: a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
    );
  }
  if (parsed.prefix < 16 || parsed.prefix > 24) {
    throw new ValidationError(where, property, cidr, "allowed: a prefix length from /16 to /24");
  }
}

/** Checks an availability-zone count: a whole number from 2 to 6. */
function checkAvailabilityZoneCount(where: string, property: string, count: number): void {
  if (!Number.isInteger(count) || count < 2 || count > 6) {
    throw new ValidationError(where, property, count, "allowed: a whole number from 2 to 6");
  }
}

/** Checks a list of availability zones: 2 to 6 distinct zone names such as `eu-west-1a`, all in one region. */
export function checkAvailabilityZones(where: string, property: string, zones: readonly string[]): void {
  const allowed = "allowed: 2 to 6 distinct zone names of one region, such as eu-west-1a";
  if (!Array.isArray(zones) || zones.length < 2 || zones.length > 6) {
    throw new ValidationError(where, property, zones, allowed);
  }
  for (const zone of zones) {
    if (typeof zone !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone)) {
      throw new ValidationError(where, property, zone, allowed);
    }
  }
  const regions = new Set(zones.map((z) => z.slice(0, -1)));
  if (new Set(zones).size !== zones.length || regions.size !== 1) {
    throw new ValidationError(where, property, zones, allowed);
  }
}

/** Checks an egress mode. */
export function checkEgressMode(where: string, property: string, mode: string): void {
  if (!EGRESS_MODES.includes(mode as EgressMode)) {
    throw new ValidationError(where, property, mode, `allowed: one of ${EGRESS_MODES.join(", ")}`);
  }
}

/** How many public subnets an egress mode needs. */
export function publicSubnetCount(egress: EgressMode, availabilityZoneCount: number): number {
  if (egress === "nat") return availabilityZoneCount;
  return egress === "single-nat" ? 1 : 0;
}

function minimumAddresses(tier: SubnetTier, request: SubnetLayoutRequest): number {
  if (tier === "private") return MIN_PRIVATE_SUBNET_ADDRESSES;
  if (tier === "isolated") return request.isolatedAddressesNeeded + AWS_RESERVED_ADDRESSES;
  return 1 + AWS_RESERVED_ADDRESSES; // a NAT gateway's address
}

function why(tier: SubnetTier, request: SubnetLayoutRequest): string {
  if (tier === "private") return "nodes and pods take their addresses from it";
  if (tier === "isolated") return `each of the ${request.isolatedAddressesNeeded} interface endpoints takes one`;
  return "the NAT gateway takes one";
}

/**
 * The subnet CIDRs of a VPC, derived or checked. Derived: the first half of the VPC is split among the zones for
 * private subnets, the fifth eighth for isolated subnets, the sixth eighth for public subnets (reserved even with
 * egress `none`, so switching modes renumbers nothing); the last quarter stays free for growth. Explicit CIDRs must
 * lie inside the VPC, overlap nothing and be large enough for their tier.
 */
export function planSubnets(where: string, request: SubnetLayoutRequest): SubnetLayout {
  checkVpcCidr(where, "vpcCidr", request.vpcCidr);
  checkAvailabilityZoneCount(where, "availabilityZoneCount", request.availabilityZoneCount);
  checkEgressMode(where, "egress", request.egress);
  const layout = request.subnetCidrs ? checkExplicit(where, request, request.subnetCidrs) : derive(where, request);
  for (const tier of ["private", "isolated", "public"] as const) {
    const needed = minimumAddresses(tier, request);
    for (const cidr of layout[tier]) {
      const size = blockSize(parseCidr(cidr)!.prefix);
      if (size < needed) {
        const property = request.subnetCidrs ? `subnetCidrs.${tier}` : "vpcCidr";
        const value = request.subnetCidrs ? cidr : request.vpcCidr;
        const hint = request.subnetCidrs ? "" : `; use a larger VPC or give the tier CIDRs explicitly (subnetCidrs)`;
        throw new ValidationError(
          where,
          property,
          value,
          `allowed: ${tier} subnets of at least ${needed} addresses (${why(tier, request)}, and AWS keeps ${AWS_RESERVED_ADDRESSES}); this gives ${cidr} with ${size}${hint}`,
        );
      }
    }
  }
  return layout;
}

function derive(where: string, request: SubnetLayoutRequest): SubnetLayout {
  const vpc = parseCidr(request.vpcCidr)!;
  const slots = Math.ceil(Math.log2(request.availabilityZoneCount));
  const privatePrefix = vpc.prefix + 1 + slots;
  const smallPrefix = vpc.prefix + 3 + slots;
  if (smallPrefix > SMALLEST_SUBNET_PREFIX) {
    throw new ValidationError(
      where,
      "vpcCidr",
      request.vpcCidr,
      `allowed: a VPC large enough for ${request.availabilityZoneCount} zones of every tier (its isolated and public subnets would be /${smallPrefix}, smaller than AWS's /${SMALLEST_SUBNET_PREFIX}); use a larger VPC or give the tier CIDRs explicitly (subnetCidrs)`,
    );
  }
  const zones = [...Array(request.availabilityZoneCount).keys()];
  const isolatedRegion = subnetOf(request.vpcCidr, vpc.prefix + 3, 4);
  const publicRegion = subnetOf(request.vpcCidr, vpc.prefix + 3, 5);
  const publicCount = publicSubnetCount(request.egress, request.availabilityZoneCount);
  return {
    private: zones.map((i) => subnetOf(request.vpcCidr, privatePrefix, i)),
    isolated: zones.map((i) => subnetOf(isolatedRegion, smallPrefix, i)),
    public: zones.slice(0, publicCount).map((i) => subnetOf(publicRegion, smallPrefix, i)),
  };
}

function checkExplicit(where: string, request: SubnetLayoutRequest, cidrs: SubnetCidrs): SubnetLayout {
  const zones = request.availabilityZoneCount;
  const publicCount = publicSubnetCount(request.egress, zones);
  const expected: Record<SubnetTier, number> = { private: zones, isolated: zones, public: publicCount };
  const layout: SubnetLayout = { private: cidrs.private, isolated: cidrs.isolated, public: cidrs.public ?? [] };
  for (const tier of ["private", "isolated", "public"] as const) {
    const list = layout[tier];
    if (!Array.isArray(list) || list.length !== expected[tier]) {
      const allowed =
        tier === "public"
          ? `${expected[tier]} public subnet CIDRs with egress "${request.egress}" (one per zone with "nat", one with "single-nat", none with "none")`
          : `one ${tier} subnet CIDR per availability zone (${zones})`;
      throw new ValidationError(where, `subnetCidrs.${tier}`, list, `allowed: ${allowed}`);
    }
  }
  const seen: { tier: SubnetTier; cidr: string }[] = [];
  for (const tier of ["private", "isolated", "public"] as const) {
    for (const cidr of layout[tier]) {
      const property = `subnetCidrs.${tier}`;
      const parsed = parseCidr(cidr);
      if (!parsed || parsed.prefix < LARGEST_SUBNET_PREFIX || parsed.prefix > SMALLEST_SUBNET_PREFIX) {
        throw new ValidationError(
          where,
          property,
          cidr,
          `allowed: an IPv4 network in CIDR form with a prefix from /${LARGEST_SUBNET_PREFIX} to /${SMALLEST_SUBNET_PREFIX}`,
        );
      }
      if (!cidrContains(request.vpcCidr, cidr)) {
        throw new ValidationError(where, property, cidr, `allowed: a range inside the VPC's ${request.vpcCidr}`);
      }
      const clash = seen.find((s) => cidrsOverlap(s.cidr, cidr));
      if (clash) {
        throw new ValidationError(
          where,
          property,
          cidr,
          `allowed: a range that overlaps no other subnet; it overlaps ${clash.tier} subnet ${clash.cidr}`,
        );
      }
      seen.push({ tier, cidr });
    }
  }
  return layout;
}
