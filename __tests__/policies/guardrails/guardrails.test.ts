import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { App, Aspects, type IAspect, TerraformStack, TerraformVariable } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { KmsKey } from "../../../constructs/keys/kms-key";
import { guardrailsGate } from "../../../policies/checkov-scan";
import { GuardrailsError } from "../../../policies/guardrails/evaluate";
import { Guardrails } from "../../../policies/guardrails/guardrails";
import { recordOf, recordProblem } from "../../../policies/guardrails/guardrails-record";
import type { GuardrailsProfile } from "../../../policies/guardrails/profiles";
import { synthWithGuardrails } from "../../../policies/guardrails/synth-app";
import { rawBucket, rawKey } from "../../fixtures/guardrail-fixtures";
import {
  type Build,
  fixtureBackend,
  fixtureProvider,
  guardedStack,
  guardedSynth,
  openRuleIds,
} from "../../support/guardrails";

const REASON = "Accepted in this fixture: the compensating control is described here in full words.";

describe("the guardrails", () => {
  it("pass the blueprint's own KmsKey with no finding", () => {
    const result = guardedSynth((s) => new KmsKey(s, "Logs", { alias: "fixture-logs" }));
    expect(result.open).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  describe("fail synth with the rule ID when a fixture loses", () => {
    it.each([
      ["encryption", () => guardedSynth((s) => rawBucket(s, { encryption: "missing" })), "SMD-S3-2"],
      ["rotation", () => guardedSynth((s) => rawKey(s, "Key", { enableKeyRotation: false })), "SMD-KMS-1"],
      [
        "its public-access block",
        () => guardedSynth((s) => rawBucket(s, { publicAccessBlock: "missing" })),
        "SMD-S3-1",
      ],
    ])("%s", (_what, run, ruleId) => {
      const result = run();
      expect(result.error?.message).toMatch(new RegExp(`\\[fixture/[^\\]]+\\] ${ruleId} `));
      expect(openRuleIds(result)).toEqual([ruleId]);
    });
  });

  it("refuse to be applied twice to one stack (every finding would count twice)", () => {
    expect(() => guardedStack((s) => Guardrails.applyTo(s))).toThrow(
      "fixture: the guardrails are already applied to this stack",
    );
  });

  it("name the construct path, the Terraform address, the control and how to fix it", () => {
    const [finding] = guardedSynth((s) => rawKey(s, "Key", { enableKeyRotation: false })).open;
    expect(finding).toMatchObject({
      ruleId: "SMD-KMS-1",
      level: "error",
      stack: "fixture",
      path: "fixture/Key",
      address: expect.stringMatching(/^aws_kms_key\.Key(_[0-9A-F]+)?$/),
      controls: ["C-KEY-ROTATION", "C-ENCRYPT-REST"],
    });
    expect(finding.message).toBe(
      "SMD-KMS-1 KMS keys rotate their key material automatically: enable_key_rotation is false (must be true). Fix: set enable_key_rotation = true (KmsKey always does)",
    );
  });

  it("count a ${...} reference as present, never as passing", () => {
    const result = guardedSynth((s) => {
      const rotate = new TerraformVariable(s, "rotate", { type: "bool" });
      rawKey(s, "Key", { enableKeyRotation: rotate.booleanValue });
    });
    expect(result.open.map((f) => f.message)).toEqual([
      expect.stringContaining("enable_key_rotation is the reference ${var.rotate}, which cannot be verified"),
    ]);
  });

  it("read what lands in cdk.tf.json: overrides included", () => {
    const result = guardedSynth((s) => {
      new KmsKey(s, "Logs", { alias: "fixture-logs" }).resource.addOverride("enable_key_rotation", false);
    });
    expect(openRuleIds(result)).toEqual(["SMD-KMS-1"]);
  });

  it("read the configuration after every other aspect, even one registered later", () => {
    class TurnRotationOff implements IAspect {
      visit(node: IConstruct): void {
        if (node instanceof KmsKeyResource) node.enableKeyRotation = false;
      }
    }
    const result = guardedSynth((s) => {
      new KmsKey(s, "Logs", { alias: "fixture-logs" });
      Aspects.of(s).add(new TurnRotationOff());
    });
    expect(openRuleIds(result)).toEqual(["SMD-KMS-1"]);
  });

  it("follow references between resources (a bucket and its separate companions)", () => {
    // A public-access block for another bucket does not protect this one.
    const result = guardedSynth((s) => {
      rawBucket(s, { publicAccessBlock: "missing" });
      new KmsKeyResource(s, "Unrelated", { enableKeyRotation: true, rotationPeriodInDays: 90, policy: "{}" });
    });
    expect(result.open.find((f) => f.ruleId === "SMD-S3-1")?.message).toContain(
      "no aws_s3_bucket_public_access_block refers to the bucket",
    );
  });

  describe("suppressions", () => {
    const insecureKey = (s: Construct) => {
      const parent = new Construct(s, "Keys");
      rawKey(parent as never, "Key", { enableKeyRotation: false });
      return parent;
    };

    it("accept a finding on one construct, for a reason of real content, and derive the checkov skips", () => {
      const result = guardedSynth((s) => {
        const parent = insecureKey(s);
        Guardrails.suppress(parent.node.findChild("Key"), "SMD-KMS-1", REASON);
      });
      expect(result.error).toBeUndefined();
      expect(result.open).toEqual([]);
      const [stack] = result.report.stacks;
      expect(stack.findings).toEqual([
        expect.objectContaining({ ruleId: "SMD-KMS-1", suppressedBy: expect.anything() }),
      ]);
      expect(stack.checkovSkips).toEqual([
        expect.objectContaining({
          checkId: "CKV_AWS_7",
          reason: REASON,
          resource: expect.stringMatching(/^aws_kms_key\./),
        }),
      ]);
    });

    it("cover children only when asked to", () => {
      const onParent = guardedSynth((s) => Guardrails.suppress(insecureKey(s), "SMD-KMS-1", REASON));
      expect(openRuleIds(onParent)).toEqual(["SMD-GUARD-1", "SMD-KMS-1"]);
      const withChildren = guardedSynth((s) =>
        Guardrails.suppress(insecureKey(s), "SMD-KMS-1", REASON, { applyToChildren: true }),
      );
      expect(openRuleIds(withChildren)).toEqual([]);
    });

    it("come from the register by construct path, with * inside a segment", () => {
      const result = guardedSynth((s) => insecureKey(s), {
        suppressions: [{ path: "fix*/Keys/Key", ruleId: "SMD-KMS-1", reason: REASON }],
      });
      expect(result.open).toEqual([]);
      expect(result.report.stacks[0].suppressions).toEqual([
        expect.objectContaining({ origin: "register", matched: ["fixture/Keys/Key"] }),
      ]);
    });

    it.each(["short reason", "TODO", "false positive", "x".repeat(40), "n/a n/a n/a n/a n/a n/a n/a"])(
      "reject the reason %j",
      (reason) => {
        expect(() => guardedSynth((s) => Guardrails.suppress(insecureKey(s), "SMD-KMS-1", reason))).toThrow(
          /reason = .* is not allowed; say what compensates/,
        );
        expect(() =>
          guardedSynth(() => undefined, { suppressions: [{ path: "fixture/Keys", ruleId: "SMD-KMS-1", reason }] }),
        ).toThrow(GuardrailsError);
      },
    );

    it("throw when a path matches no construct", () => {
      const { error } = guardedSynth((s) => insecureKey(s), {
        suppressions: [{ path: "fixture/Gone", ruleId: "SMD-KMS-1", reason: REASON }],
      });
      expect(error).toBeInstanceOf(GuardrailsError);
      expect(error?.message).toMatch(/path = "fixture\/Gone" matches no construct of stack fixture/);
    });

    it("make an unused suppression an error", () => {
      const result = guardedSynth((s) => {
        const key = rawKey(s, "Key");
        Guardrails.suppress(key, "SMD-KMS-1", REASON);
      });
      expect(openRuleIds(result)).toEqual(["SMD-GUARD-1"]);
      expect(result.error?.message).toMatch(
        /Unused suppression: the construct suppression of SMD-KMS-1 on fixture\/Key/,
      );
    });

    it("refuse rules that cannot be suppressed: a public bucket, * on *", () => {
      for (const ruleId of ["SMD-S3-1", "SMD-IAM-1", "SMD-IAM-3", "SMD-TF-1"]) {
        const { error } = guardedSynth((s) =>
          Guardrails.suppress(rawBucket(s, { publicAccessBlock: "missing" }), ruleId, REASON),
        );
        expect(error?.message).toMatch(new RegExp(`rule ${ruleId} \\(.*\\) cannot be suppressed`));
      }
    });

    it("refuse an unknown rule ID", () => {
      expect(guardedSynth((s) => Guardrails.suppress(insecureKey(s), "SMD-KMS-99", REASON)).error?.message).toMatch(
        /ruleId = "SMD-KMS-99" is not allowed; use a rule of the applied packs/,
      );
      expect(() => guardedSynth((s) => Guardrails.suppress(insecureKey(s), "rotation", REASON))).toThrow(
        /ruleId = "rotation" is not allowed/,
      );
    });
  });

  describe("a synth of an app (what npm run synth does)", () => {
    it("fails with every finding listed, writes the reports and leaves no stack behind", () => {
      const reportsDir = mkdtempSync(join(tmpdir(), "guardrails-reports-"));
      const result = guardedSynthApp((s) => rawKey(s, "Key", { enableKeyRotation: false }), reportsDir);
      expect(result.exitCode).toBe(1);
      expect(result.messages[0]).toMatch(/^error: \[fixture\/Key\] SMD-KMS-1 /);
      expect(result.messages.at(-1)).toMatch(/1 errors, 0 warnings, 0 suppressed .*synth failed/);
      expect(readdirSync(reportsDir).sort()).toEqual(["controls.md", "guardrails.json", "guardrails.sarif"]);
      expect(readFileSync(join(reportsDir, "controls.md"), "utf8")).toContain("| fixture | `aws_kms_key.");
    });

    it("passes with a proper suppression, which shows in controls.md and the checkov skips", () => {
      const reportsDir = mkdtempSync(join(tmpdir(), "guardrails-reports-"));
      const result = guardedSynthApp((s) => {
        const key = rawKey(s, "Key", { enableKeyRotation: false });
        Guardrails.suppress(key, "SMD-KMS-1", REASON);
      }, reportsDir);
      expect(result.exitCode).toBe(0);
      const controls = readFileSync(join(reportsDir, "controls.md"), "utf8");
      expect(controls).toContain(`- SMD-KMS-1 on \`fixture/Key\` (construct, stack fixture): ${REASON}`);
      expect(result.report.checkovSkips).toEqual([expect.objectContaining({ checkId: "CKV_AWS_7", reason: REASON })]);
    });
  });
});

/** Runs {@link synthWithGuardrails} over a guarded fixture stack, the way main.ts does. */
function guardedSynthApp(build: Build, reportsDir: string) {
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  try {
    const { app } = guardedStack(build);
    return synthWithGuardrails(app, { environment: "fixture", reportsDir, reportOnly: true });
  } finally {
    delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  }
}

describe("no way past an error finding without a trace", () => {
  /** The guardrails record of the one stack an app synthesized into its outdir. */
  function recordIn(outdir: string) {
    return recordOf(JSON.parse(readFileSync(join(outdir, "stacks", "fixture", "cdk.tf.json"), "utf8")));
  }

  it("records a pass in the stack's own JSON, with the checkov skips of its suppressions", () => {
    const { app } = guardedStack((s) =>
      Guardrails.suppress(rawKey(s, "Key", { enableKeyRotation: false }), "SMD-KMS-1", REASON),
    );
    app.synth();
    const record = recordIn(app.outdir);
    expect(record).toEqual(
      expect.objectContaining({ status: "passed", profile: "platform", errors: 0, suppressed: 1, errorFindings: [] }),
    );
    expect(record?.checks).toBeGreaterThan(5);
    expect(record?.checkovSkips).toEqual([expect.objectContaining({ checkId: "CKV_AWS_7", stack: "fixture" })]);
    expect(recordProblem("fixture", record)).toBeUndefined();
  });

  it("records the errors that CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS let through, and the scan's check names it", () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const { app } = guardedStack((s) => rawKey(s, "Key", { enableKeyRotation: false }));
      app.synth();
      const record = recordIn(app.outdir);
      expect(record).toEqual(expect.objectContaining({ status: "failed", errors: 1 }));
      expect(record?.errorFindings).toEqual([expect.objectContaining({ ruleId: "SMD-KMS-1", path: "fixture/Key" })]);
      expect(recordProblem("fixture", record)).toMatch(
        /stack fixture: 1 guardrail error\(s\) \(SMD-KMS-1\) were let through: .*CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS/,
      );
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  it("records that they never ran when the app skips validation, and the scan's check names skipValidation", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "guardrails-")), skipValidation: true });
    const stack = new TerraformStack(app, "fixture");
    fixtureProvider(stack);
    Guardrails.applyTo(stack);
    rawKey(stack, "Key", { enableKeyRotation: false });
    fixtureBackend(stack);
    expect(() => app.synth()).not.toThrow();
    const record = recordIn(app.outdir);
    expect(record?.status).toBe("not-evaluated");
    expect(recordProblem("fixture", record)).toMatch(/never ran: .*skipValidation/);
  });

  it("leave no record on a stack they were not applied to, which the scan's check refuses", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "guardrails-")) });
    const stack = new TerraformStack(app, "fixture");
    fixtureProvider(stack);
    rawKey(stack);
    app.synth();
    expect(recordIn(app.outdir)).toBeUndefined();
    expect(recordProblem("fixture", undefined)).toMatch(/carries no guardrails record: .*Guardrails.applyTo/);
  });

  it("make synthWithGuardrails throw on an error unless the caller asked for a report only", () => {
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const { app } = guardedStack((s) => rawKey(s, "Key", { enableKeyRotation: false }));
      const reportsDir = mkdtempSync(join(tmpdir(), "guardrails-reports-"));
      expect(() => synthWithGuardrails(app, { environment: "fixture", reportsDir })).toThrow(
        /SMD-KMS-1 [\s\S]*synth failed/,
      );
      expect(readdirSync(app.outdir)).not.toContain("stacks");
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  it("fail a stack whose resources no rule checked (SMD-GUARD-2), never pass it", () => {
    const result = guardedSynth((s) => new IamAccessKey(s, "AccessKey", { user: "ci" }));
    expect(openRuleIds(result)).toEqual(["SMD-GUARD-2"]);
    expect(result.error?.message).toMatch(/Nothing checked: the stack holds 1 resource\(s\) \(aws_iam_access_key\)/);
  });

  it("hold the workload profile's rules: account-wide singletons are refused, not judged", () => {
    const block = (s: TerraformStack) =>
      new S3AccountPublicAccessBlock(s, "Account", {
        blockPublicAcls: false,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    expect(openRuleIds(guardedSynth(block))).toEqual(["SMD-S3-7"]);
    expect(openRuleIds(guardedSynth(block, { profile: "workload" }))).toEqual(["SMD-WL-1"]);
    expect(() => guardedStack(() => undefined, { profile: "team" as GuardrailsProfile })).toThrow(
      /profile = "team" is not allowed; allowed: platform or workload/,
    );
  });

  it("refuse what is not a stack, and a second application", () => {
    const app = new App();
    expect(() => Guardrails.applyTo(app as unknown as TerraformStack)).toThrow(
      /Guardrails.applyTo takes a TerraformStack/,
    );
    const stack = new TerraformStack(app, "twice");
    Guardrails.applyTo(stack);
    expect(() => Guardrails.applyTo(stack)).toThrow(/twice: the guardrails are already applied/);
  });
});

describe("a synth the guardrails stop", () => {
  it("leaves no earlier output of the failing stack, nor the manifest, for a scan to pass", () => {
    const outdir = mkdtempSync(join(tmpdir(), "guardrails-stale-"));
    const build = (rotate: boolean) => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "fixture");
      fixtureProvider(stack);
      fixtureBackend(stack);
      Guardrails.applyTo(stack);
      rawKey(stack, "Key", { enableKeyRotation: rotate });
      return app;
    };
    build(true).synth();
    expect(guardrailsGate(outdir)).toEqual([]);
    expect(() => build(false).synth()).toThrow(/SMD-KMS-1/);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "fixture", "cdk.tf.json"))).toBe(false);
    expect(() => guardrailsGate(outdir)).toThrow(/manifest\.json is missing: synthesize the app first/);
  });

  it("says where a checkov suppression belongs when it names a construct above the resources", () => {
    const result = guardedSynth((s) => {
      const parent = new Construct(s, "Parent");
      rawKey(parent as TerraformStack, "Key");
      Guardrails.suppress(parent, "CKV_AWS_7", REASON);
    });
    expect(result.open.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /SMD-GUARD-1 .*checkov judges Terraform resources, and the construct it names is not one: name the resource below it .* or pass \{ applyToChildren: true \}/,
      ),
    ]);
  });
});
