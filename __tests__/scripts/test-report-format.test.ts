import { junitCounts, testReportMarkdown } from "../../scripts/test-report-format";

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="checkov.dev" tests="3" failures="1" skipped="1">
  <testsuite name="checkov.dev.bootstrap" tests="3">
    <testcase classname="c" name="CKV_AWS_7 aws_kms_key.Key" file="/x"><failure message="rotation" type="CKV_AWS_7"/></testcase>
    <testcase classname="c" name="CKV_AWS_144 aws_s3_bucket.B" file="/x"><skipped message="suppressed: reason"/></testcase>
    <testcase classname="c" name="CKV_AWS_41 provider.aws" file="/x"></testcase>
    <testcase classname="c" name="CKV_AWS_18 aws_s3_bucket.C" file="/x"/>
  </testsuite>
</testsuites>`;

describe("the test report", () => {
  it("counts JUnit test cases, failures and skips, naming the failures", () => {
    expect(junitCounts(JUNIT)).toEqual({ tests: 4, failures: 1, skipped: 1, failed: ["CKV_AWS_7 aws_kms_key.Key"] });
  });

  it("writes one row per suite and lists the failures", () => {
    const markdown = testReportMarkdown([
      { suite: "jest", counts: { tests: 500, failures: 0, skipped: 0, failed: [] } },
      { suite: "checkov dev", counts: junitCounts(JUNIT) },
    ]);
    expect(markdown).toContain("| jest | 500 | 0 | 0 |");
    expect(markdown).toContain("| checkov dev | 4 | 1 | 1 |");
    expect(markdown).toContain("- checkov dev: CKV_AWS_7 aws_kms_key.Key");
  });
});
