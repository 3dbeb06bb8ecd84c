import {
  applySuppressions,
  type CheckovReport,
  type CheckovResult,
  stackOf,
  toJUnit,
} from "../../policies/checkov-results";
import type { CheckovSkip } from "../../policies/guardrails/evaluate";

const reason = "Accepted for this test: the register entry must cover exactly this stack, resource and check.";
const result = (check_id: string, resource: string, stack = "platform-prod"): CheckovResult => ({
  check_id,
  resource,
  file_path: `/${stack}/cdk.tf.json`,
  check_name: `check ${check_id}`,
});
const report = (failed: CheckovResult[], passed: CheckovResult[] = []): CheckovReport => ({
  check_type: "terraform_json",
  results: { failed_checks: failed, passed_checks: passed },
  summary: { parsing_errors: 0 },
});
const entry = (change: Partial<CheckovSkip> = {}): CheckovSkip => ({
  stack: "platform-prod",
  resource: "aws_s3_bucket.Logs_1A2B3C4D",
  checkId: "CKV_AWS_18",
  reason,
  suppression: `register suppression of ${change.checkId ?? "CKV_AWS_18"} on platform-prod/Logs`,
  required: true,
  ...change,
});

describe("applying the register to checkov's results", () => {
  it("reads the stack from the file path", () => {
    expect(stackOf(result("CKV_AWS_18", "resource.X", "baseline"))).toBe("baseline");
  });

  it("covers both of checkov's spellings of a resource", () => {
    const out = applySuppressions(
      report([result("CKV_AWS_18", "resource.Logs_1A2B3C4D"), result("CKV2_AWS_62", "aws_s3_bucket.Logs_1A2B3C4D")]),
      [entry(), entry({ checkId: "CKV2_AWS_62" })],
    );
    expect(out.failed).toEqual([]);
    expect(out.suppressed).toHaveLength(2);
    expect(out.unusedSuppressions).toEqual([]);
  });

  it("does not cover another stack, another check or another resource type", () => {
    const out = applySuppressions(
      report([
        result("CKV_AWS_18", "resource.Logs_1A2B3C4D", "platform-dev"),
        result("CKV_AWS_21", "resource.Logs_1A2B3C4D"),
        result("CKV2_AWS_62", "aws_sns_topic.Logs_1A2B3C4D"),
      ]),
      [entry(), entry({ checkId: "CKV2_AWS_62" })],
    );
    expect(out.failed.map((f) => f.check_id)).toEqual(["CKV_AWS_18", "CKV_AWS_21", "CKV2_AWS_62"]);
    expect(out.unusedSuppressions).toHaveLength(2);
  });

  it("reports only suppressions that name the checkov check itself as unused", () => {
    const mirrored = entry({ required: false, suppression: "construct suppression of SMD-S3-4 on x/Logs" });
    const out = applySuppressions(report([]), [mirrored, entry()]);
    expect(out.unusedSuppressions).toEqual(["register suppression of CKV_AWS_18 on platform-prod/Logs"]);
  });

  it("writes JUnit with failures, accepted findings as skipped, and escaped text", () => {
    const out = applySuppressions(
      report(
        [result("CKV_AWS_18", "resource.Logs_1A2B3C4D"), result("CKV_AWS_7", "resource.Key<&>")],
        [result("CKV_AWS_41", "provider.aws")],
      ),
      [entry()],
    );
    const xml = toJUnit(out, "checkov.prod");
    expect(xml).toContain('<testsuites name="checkov.prod" tests="3" failures="1" skipped="1" errors="0">');
    expect(xml).toContain('name="CKV_AWS_7 resource.Key&lt;&amp;&gt;"');
    expect(xml).toContain(`<skipped message="suppressed: ${reason}"/>`);
  });
});
