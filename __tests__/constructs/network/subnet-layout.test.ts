import { blockSize, cidrContains, cidrsOverlap, parseCidr } from "../../../constructs/core/cidr";
import { ValidationError } from "../../../constructs/core/validation";
import {
  AWS_RESERVED_ADDRESSES,
  EGRESS_MODES,
  MIN_PRIVATE_SUBNET_ADDRESSES,
  planSubnets,
  type SubnetLayout,
} from "../../../constructs/network/subnet-layout";

const ENDPOINTS = 13;

describe("planSubnets", () => {
  it("derives a /16 for two zones into /18 private and /20 isolated subnets, with public ones only for NAT", () => {
    const plan = (egress: (typeof EGRESS_MODES)[number]) =>
      planSubnets("vpc", { vpcCidr: "10.20.0.0/16", availabilityZoneCount: 2, egress, isolatedAddressesNeeded: 13 });
    expect(plan("none")).toEqual({
      private: ["10.20.0.0/18", "10.20.64.0/18"],
      isolated: ["10.20.128.0/20", "10.20.144.0/20"],
      public: [],
    });
    expect(plan("nat").public).toEqual(["10.20.160.0/20", "10.20.176.0/20"]);
    expect(plan("single-nat").public).toEqual(["10.20.160.0/20"]);
    // Switching egress modes renumbers nothing.
    expect(plan("nat").private).toEqual(plan("none").private);
    expect(plan("nat").isolated).toEqual(plan("none").isolated);
  });

  // Every size the blueprint accepts, every zone count and egress mode: a derived layout either fits or is refused
  // with an error that names vpcCidr, never a layout that overlaps, leaks out of the VPC or starves a tier.
  const cases = [16, 17, 18, 19, 20, 21, 22, 23, 24].flatMap((prefix) =>
    [2, 3, 4, 5, 6].flatMap((zones) => EGRESS_MODES.map((egress) => [prefix, zones, egress] as const)),
  );
  it.each(cases)("derives a sound layout or refuses it clearly: /%i, %i zones, egress %s", (prefix, zones, egress) => {
    const vpcCidr = `10.0.0.0/${prefix}`;
    let layout: SubnetLayout;
    try {
      layout = planSubnets("vpc", {
        vpcCidr,
        availabilityZoneCount: zones,
        egress,
        isolatedAddressesNeeded: ENDPOINTS,
      });
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).property).toBe("vpcCidr");
      expect((e as Error).message).toContain("give the tier CIDRs explicitly (subnetCidrs)");
      expect(prefix).toBeGreaterThanOrEqual(22); // every VPC of /21 or more fits six zones
      return;
    }
    const all = [...layout.private, ...layout.isolated, ...layout.public];
    expect(layout.private).toHaveLength(zones);
    expect(layout.isolated).toHaveLength(zones);
    expect(layout.public).toHaveLength(egress === "nat" ? zones : egress === "single-nat" ? 1 : 0);
    for (const [i, cidr] of all.entries()) {
      expect(cidrContains(vpcCidr, cidr)).toBe(true);
      for (const other of all.slice(i + 1))
        expect([cidr, other, cidrsOverlap(cidr, other)]).toEqual([cidr, other, false]);
    }
    const size = (cidr: string) => blockSize(parseCidr(cidr)!.prefix);
    for (const cidr of layout.private) expect(size(cidr)).toBeGreaterThanOrEqual(MIN_PRIVATE_SUBNET_ADDRESSES);
    for (const cidr of layout.isolated) expect(size(cidr) - AWS_RESERVED_ADDRESSES).toBeGreaterThanOrEqual(ENDPOINTS);
  });

  it("accepts explicit CIDRs for every tier the egress mode needs", () => {
    const subnetCidrs = {
      private: ["10.1.0.0/26", "10.1.0.64/26"],
      isolated: ["10.1.0.128/27", "10.1.0.160/27"],
      public: ["10.1.0.192/28"],
    };
    const request = { vpcCidr: "10.1.0.0/24", availabilityZoneCount: 2, isolatedAddressesNeeded: 13, subnetCidrs };
    expect(planSubnets("vpc", { ...request, egress: "single-nat" })).toEqual(subnetCidrs);
    expect(() => planSubnets("vpc", { ...request, egress: "nat" })).toThrow(
      'vpc: subnetCidrs.public = ["10.1.0.192/28"] is not allowed; allowed: 2 public subnet CIDRs with egress "nat"',
    );
  });

  it("refuses explicit CIDRs AWS would refuse", () => {
    const subnetCidrs = { private: ["10.1.0.0/26", "10.1.0.64/29"], isolated: ["10.1.0.128/27", "10.1.0.160/27"] };
    expect(() =>
      planSubnets("vpc", {
        vpcCidr: "10.1.0.0/24",
        availabilityZoneCount: 2,
        egress: "none",
        isolatedAddressesNeeded: 13,
        subnetCidrs,
      }),
    ).toThrow(
      'subnetCidrs.private = "10.1.0.64/29" is not allowed; allowed: an IPv4 network in CIDR form with a prefix from /16 to /28',
    );
  });
});
