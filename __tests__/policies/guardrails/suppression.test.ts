import { isNarrowedByCondition, type NormalStatement } from "../../../policies/guardrails/policy-documents";
import {
  pathMatches,
  reasonProblem,
  ruleIdProblem,
  suppressionProblems,
} from "../../../policies/guardrails/suppression";
import { SUPPRESSIONS } from "../../../policies/suppressions";

describe("suppressions", () => {
  it("the blueprint's register is well-formed", () => {
    expect(SUPPRESSIONS.flatMap(suppressionProblems)).toEqual([]);
  });

  it.each([
    "This bucket receives the access logs; logging it would loop, CloudTrail data events cover it.",
    "Replication is off in dev: no second region holds dev data.",
  ])("accept the reason %j", (reason) => {
    expect(reasonProblem(reason)).toBeUndefined();
  });

  it.each([
    "",
    "TODO",
    "false positive",
    "Not needed.",
    "aaaaaaaaaaaaaaaaaaaaaaaaa",
    "ok ok ok ok ok ok ok ok ok",
    "n/a",
  ])("reject the reason %j", (reason) => {
    expect(reasonProblem(reason)).toMatch(/^reason = .* is not allowed; say what compensates/);
  });

  it("take guardrail and checkov rule IDs only", () => {
    for (const id of ["SMD-S3-4", "SMD-STATE-1", "CKV_AWS_18", "CKV2_AWS_6", "CKV_SMD_1"])
      expect(ruleIdProblem(id)).toBeUndefined();
    for (const id of ["s3-logging", "SMD_S3_4", "*"]) expect(ruleIdProblem(id)).toMatch(/is not allowed/);
  });

  it("match construct paths segment by segment, * within one segment", () => {
    expect(pathMatches("platform-*/Store/Logs", "platform-prod/Store/Logs")).toBe(true);
    expect(pathMatches("platform-*/Store/Logs", "platform-prod/Store/Logs/Bucket")).toBe(false);
    expect(pathMatches("platform-*/Store", "platform-prod/Other")).toBe(false);
    expect(pathMatches("*/Store", "a/b/Store")).toBe(false);
    expect(pathMatches("platform.prod/Store", "platformXprod/Store")).toBe(false);
  });

  it("reject a malformed register entry", () => {
    expect(suppressionProblems({ path: "platform prod//x", ruleId: "SMD-S3-4", reason: "short" })).toEqual([
      expect.stringMatching(/^path = /),
      expect.stringMatching(/^reason = /),
    ]);
  });
});

describe("a wildcard principal", () => {
  const statement = (conditions: NormalStatement["conditions"]): NormalStatement => ({
    effect: "Allow",
    principal: "*",
    notPrincipal: false,
    actions: ["s3:GetObject"],
    notActions: [],
    resources: ["*"],
    notResources: [],
    conditions,
  });

  it("is narrowed by an equality on who calls or where from", () => {
    expect(isNarrowedByCondition(statement({ StringEquals: { "aws:SourceVpce": ["vpce-1"] } }))).toBe(true);
    expect(isNarrowedByCondition(statement({ ArnLike: { "aws:SourceArn": ["arn:aws:s3:::x"] } }))).toBe(true);
  });

  it("is not narrowed by TLS, a wildcard value or a negation", () => {
    expect(isNarrowedByCondition(statement({ Bool: { "aws:SecureTransport": ["true"] } }))).toBe(false);
    expect(isNarrowedByCondition(statement({ StringLike: { "aws:PrincipalAccount": ["*"] } }))).toBe(false);
    expect(isNarrowedByCondition(statement({ StringNotEquals: { "aws:SourceVpce": ["vpce-1"] } }))).toBe(false);
  });
});
