import { matchesPattern } from "../../policies/event-pattern";

describe("the event-pattern matcher", () => {
  const event = {
    source: "aws.s3",
    detail: { eventName: "PutObject", user: { type: "AssumedRole", arn: "arn:a" }, size: 10, tags: ["a", "b"] },
  };

  it("matches exact values, lists in the event, and nested objects", () => {
    expect(matchesPattern({ source: ["aws.s3"], detail: { eventName: ["DeleteObject", "PutObject"] } }, event)).toBe(
      true,
    );
    expect(matchesPattern({ detail: { tags: ["b"] } }, event)).toBe(true);
    expect(matchesPattern({ source: ["aws.ec2"] }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: ["x"] } }, event)).toBe(false);
  });

  it("matches anything-but, prefix, exists and numeric", () => {
    expect(matchesPattern({ detail: { user: { arn: [{ "anything-but": ["arn:b"] }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { user: { arn: [{ "anything-but": ["arn:a"] }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { nothing: [{ "anything-but": ["x"] }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { user: { arn: [{ prefix: "arn:" }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { nothing: [{ exists: false }], eventName: [{ exists: true }] } }, event)).toBe(
      true,
    );
    expect(matchesPattern({ detail: { absent: { deeper: [{ exists: false }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { size: [{ numeric: [">", 5, "<=", 10] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { size: [{ numeric: [">", 10] }] } }, event)).toBe(false);
  });

  it("matches $or alternatives", () => {
    const pattern = { detail: { $or: [{ user: { type: ["Root"] } }, { eventName: ["PutObject"] }] } };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern({ detail: { $or: [{ user: { type: ["Root"] } }] } }, event)).toBe(false);
  });

  it("refuses operators it does not implement, so that no rule passes by accident", () => {
    expect(() => matchesPattern({ detail: { eventName: [{ suffix: "Object" }] } }, event)).toThrow(
      /unsupported pattern operator suffix/,
    );
    expect(() => matchesPattern({ source: "aws.s3" } as never, event)).toThrow(/must be a list or an object/);
  });
});
