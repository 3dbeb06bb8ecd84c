import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { Guardrails } from "../../../policies/guardrails/guardrails";
import { type GuardrailsJson, lineOf, toControlsMarkdown } from "../../../policies/guardrails/reports";
import { synthWithGuardrails } from "../../../policies/guardrails/synth-app";
import { RULE_FIXTURES, rawKey } from "../../fixtures/guardrail-fixtures";
import { guardedStack } from "../../support/guardrails";

/** The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (one package per platform). */
function sarifSchema(): Record<string, unknown> {
  const platform = process.platform === "win32" ? "win32" : process.platform;
  return JSON.parse(readFileSync(require.resolve(`@microsoft/sarif-multitool-${platform}/sarif-2.1.0.json`), "utf8"));
}

const REASON = "Accepted in this fixture: rotation is handled by re-encryption jobs outside Terraform.";

/** Synthesizes a stack with an error, a warning and a suppressed finding, and returns its reports folder. */
function reportsOfMixedStack(): { dir: string; outdir: string } {
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  try {
    const { app } = guardedStack((s) => {
      RULE_FIXTURES["SMD-S3-2"].fail(s); // error
      rawKey(s, "SlowKey", { rotationPeriodInDays: 365 }); // warning
      Guardrails.suppress(rawKey(s, "Manual", { enableKeyRotation: false }), "SMD-KMS-1", REASON);
    });
    const dir = mkdtempSync(join(tmpdir(), "guardrails-reports-"));
    synthWithGuardrails(app, { environment: "fixture", reportsDir: dir, reportOnly: true });
    return { dir, outdir: app.outdir };
  } finally {
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  }
}

describe("the guardrail reports", () => {
  const { dir } = reportsOfMixedStack();
  const validate = (() => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(sarifSchema());
  })();

  it("write guardrails.sarif that validates against the SARIF 2.1.0 schema", () => {
    const sarif = JSON.parse(readFileSync(join(dir, "guardrails.sarif"), "utf8"));
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const results = sarif.runs[0].results as { ruleId: string; level: string; suppressions?: unknown[] }[];
    expect(results.map((r) => [r.ruleId, r.level, r.suppressions?.length ?? 0]).sort()).toEqual([
      ["SMD-KMS-1", "error", 1],
      ["SMD-KMS-2", "warning", 0],
      ["SMD-S3-2", "error", 0],
    ]);
  });

  it("use a schema check that can fail", () => {
    const sarif = JSON.parse(readFileSync(join(dir, "guardrails.sarif"), "utf8"));
    sarif.runs[0].results[0].level = "fatal";
    expect(validate(sarif)).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
  });

  it("point each SARIF result at the line of its resource in cdk.tf.json", () => {
    const { app } = guardedStack((s) => rawKey(s, "SlowKey", { rotationPeriodInDays: 365 }));
    const reportsDir = mkdtempSync(join(tmpdir(), "guardrails-reports-"));
    expect(synthWithGuardrails(app, { environment: "fixture", reportsDir }).exitCode).toBe(0);
    const sarif = JSON.parse(readFileSync(join(reportsDir, "guardrails.sarif"), "utf8"));
    const location = sarif.runs[0].results[0].locations[0];
    const text = readFileSync(location.physicalLocation.artifactLocation.uri, "utf8").split("\n");
    expect(text[location.physicalLocation.region.startLine - 1]).toMatch(/^ {6}"SlowKey(_[0-9A-F]+)?": \{$/);
    expect(location.logicalLocations[0].fullyQualifiedName).toBe("fixture/SlowKey");
  });

  it("write guardrails.json with the summary, every finding and the checkov skips", () => {
    const json = JSON.parse(readFileSync(join(dir, "guardrails.json"), "utf8"));
    expect(json.summary).toEqual({ errors: 1, warnings: 1, suppressed: 1 });
    expect(json.checkovSkips).toEqual([expect.objectContaining({ checkId: "CKV_AWS_7", required: false })]);
  });

  it("write controls.md: per control its rules, the resources checked and the suppressions with reasons", () => {
    const md = readFileSync(join(dir, "controls.md"), "utf8");
    expect(md).toContain("## C-ENCRYPT-REST: Encryption at rest under customer-managed keys");
    expect(md).toMatch(
      /\| fixture \| `aws_s3_bucket\.Bucket[^`]*` \| `fixture\/Bucket` \| SMD-S3-2 \| \*\*FAILED\*\* \|/,
    );
    expect(md).toMatch(/\| fixture \| `aws_kms_key\.SlowKey[^`]*` \| `fixture\/SlowKey` \| SMD-KMS-2 \| warning \|/);
    expect(md).toContain(`- SMD-KMS-1 on \`fixture/Manual\` (construct, stack fixture): ${REASON}`);
    expect(md).toContain("## C-K8S-NETWORK-POLICY: Kubernetes NetworkPolicies");
    // Every control carries its status, and one that is not delivered says what is missing.
    expect(md).toMatch(/\| C-ENCRYPT-REST Encryption at rest under customer-managed keys \| enforced \| SMD-KMS-1, /);
    expect(md).toMatch(/## C-MTLS: Mutual TLS between services\n\n> [^\n]+\n\nStatus: \*\*absent\*\*\. .+ Missing: /);
    expect(md).toContain('- Test: "would catch the usual');
    const json = JSON.parse(readFileSync(join(dir, "guardrails.json"), "utf8")) as GuardrailsJson;
    const partial = toControlsMarkdown({
      ...json,
      rules: json.rules.filter((r) => !r.controls.includes("C-K8S-NETWORK-POLICY")),
    });
    expect(partial).toMatch(
      /## C-K8S-NETWORK-POLICY: Kubernetes NetworkPolicies\n\n(> [^\n]+\n)+\nStatus: \*\*enforced\*\*\. [^\n]+\n\nNo synth-time rule of these packs checks this control\./,
    );
  });

  it("are deterministic: two synths of the same stack give the same guardrails.json and controls.md", () => {
    const again = reportsOfMixedStack().dir;
    for (const file of ["guardrails.json", "controls.md"]) {
      expect(readFileSync(join(again, file), "utf8")).toBe(readFileSync(join(dir, file), "utf8"));
    }
  });

  it("find lines only where the element is", () => {
    const text = '{\n  "resource": {\n    "aws_kms_key": {\n      "K": {\n      }\n    }\n  }\n}\n';
    expect(lineOf(text, "aws_kms_key.K")).toBe(4);
    expect(lineOf(text, "aws_s3_bucket.K")).toBe(1);
    expect(lineOf(undefined, "aws_kms_key.K")).toBe(1);
  });
});
