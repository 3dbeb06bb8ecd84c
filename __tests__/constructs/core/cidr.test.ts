import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  isPrivateCidr,
  parseCidr,
  subnetOf,
} from "../../../constructs/core/cidr";

describe("CIDR helpers", () => {
  it("parses network addresses and rejects host bits and bad octets", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({ address: 0x0a140000, prefix: 16 });
    expect(parseCidr("10.20.0.1/16")).toBeUndefined();
    expect(parseCidr("256.0.0.0/8")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
  });

  it.each([
    ["10.0.0.0/16", true],
    ["172.31.0.0/16", true],
    ["192.168.10.0/24", true],
    ["172.32.0.0/16", false],
    ["100.64.0.0/16", false],
    ["10.0.0.0/7", false],
  ])("isPrivateCidr(%s) is %s", (cidr, expected) => {
    expect(isPrivateCidr(cidr)).toBe(expected);
  });

  it("formats an address and prefix back into CIDR form", () => {
    expect(formatCidr(0x0a140000, 16)).toBe("10.20.0.0/16");
    expect(formatCidr(0xc0a80a80, 25)).toBe("192.168.10.128/25");
  });

  it("finds the n-th block of a prefix inside a range, like Terraform's cidrsubnet", () => {
    expect(subnetOf("10.20.0.0/16", 18, 0)).toBe("10.20.0.0/18");
    expect(subnetOf("10.20.0.0/16", 18, 3)).toBe("10.20.192.0/18");
    expect(subnetOf("10.20.128.0/19", 21, 2)).toBe("10.20.144.0/21");
    expect(() => subnetOf("10.20.0.0/16", 18, 4)).toThrow("10.20.0.0/16 holds 4 blocks of /18, not 5");
    expect(() => subnetOf("10.20.0.0/16", 15, 0)).toThrow("no /15 inside 10.20.0.0/16");
  });

  it.each([
    ["10.20.0.0/16", "10.20.64.0/18", true],
    ["10.20.0.0/16", "10.20.0.0/16", true],
    ["10.20.0.0/16", "10.21.0.0/18", false],
    ["10.20.0.0/16", "10.0.0.0/8", false],
  ])("cidrContains(%s, %s) is %s", (outer, inner, expected) => {
    expect(cidrContains(outer, inner)).toBe(expected);
  });

  it.each([
    ["10.20.0.0/18", "10.20.63.0/24", true],
    ["10.20.0.0/18", "10.20.64.0/24", false],
    ["10.0.0.0/8", "10.255.255.0/24", true],
  ])("cidrsOverlap(%s, %s) is %s", (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
    expect(cidrsOverlap(b, a)).toBe(expected);
  });
});
