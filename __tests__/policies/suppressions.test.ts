import {
  MIN_REASON_LENGTH,
  registerProblems,
  SUPPRESSIONS,
  type Suppression,
  stackMatches,
} from "../../policies/suppressions";

const good: Suppression = {
  stack: "platform-*",
  resource: "aws_s3_bucket.Logs_1A2B3C4D",
  checkId: "CKV_AWS_18",
  reason: "This bucket is the access-log target; logging it to itself would loop, so CloudTrail data events cover it.",
};

describe("the suppression register", () => {
  it("is well-formed as shipped", () => {
    expect(registerProblems(SUPPRESSIONS)).toEqual([]);
  });

  it("accepts a complete entry", () => {
    expect(registerProblems([good])).toEqual([]);
  });

  it.each<[string, Partial<Suppression>, RegExp]>([
    ["an empty reason", { reason: "" }, /reason must say what compensates/],
    ["a one-word reason", { reason: "false positive" }, /reason must say/],
    ["a reason under the minimum length", { reason: "x".repeat(MIN_REASON_LENGTH - 1) }, /reason must say/],
    [
      "a module path instead of an address",
      { resource: "module.x.aws_s3_bucket.y" },
      /resource must be a Terraform address/,
    ],
    ["a check ID that is not checkov's", { checkId: "S3_LOGGING" }, /checkId must be a checkov ID/],
    ["a stack name with capitals", { stack: "Platform-Prod" }, /stack must be a stack name/],
  ])("rejects %s", (_name, change, problem) => {
    expect(registerProblems([{ ...good, ...change }])).toEqual([expect.stringMatching(problem)]);
  });

  it("rejects a duplicate entry", () => {
    expect(registerProblems([good, { ...good }])).toEqual([expect.stringMatching(/duplicate entry/)]);
  });

  it("matches stacks exactly or by pattern", () => {
    expect(stackMatches("platform-*", "platform-prod")).toBe(true);
    expect(stackMatches("platform-*", "baseline")).toBe(false);
    expect(stackMatches("platform-prod", "platform-prod")).toBe(true);
    expect(stackMatches("platform-prod", "platform-production")).toBe(false);
    expect(stackMatches("platform.prod", "platformXprod")).toBe(false);
  });
});
