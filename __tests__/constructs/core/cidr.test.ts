import { isPrivateCidr, parseCidr } from "../../../constructs/core/cidr";

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
});
