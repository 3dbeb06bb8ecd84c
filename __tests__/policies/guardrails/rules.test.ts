import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { TerraformStack } from "cdktf";
import { SecureModelDeployment } from "../../../policies/guardrails/secure-model-deployment";
import { CONTROLS } from "../../../policies/guardrails/controls";
import { RULE_FIXTURES } from "../../fixtures/guardrail-fixtures";
import { guardedSynth, openRuleIds } from "../../support/guardrails";

const rules = SecureModelDeployment.rules;

describe("the SecureModelDeployment rule pack", () => {
  it("has unique rule IDs, each naming real controls, a fix and a passing and a failing fixture", () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect([rule.id, rule.controls.length > 0]).toEqual([rule.id, true]);
      for (const control of rule.controls) expect([rule.id, CONTROLS.has(control)]).toEqual([rule.id, true]);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
    expect(Object.keys(RULE_FIXTURES).sort()).toEqual([...ids].sort());
  });

  it("names checkov checks that exist in the pinned checkov's ID form", () => {
    for (const id of rules.flatMap((r) => r.checkov ?? [])) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
  });

  describe.each(rules.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    const fixture = RULE_FIXTURES[id];

    it("passes its passing fixture with no finding of any rule", () => {
      const result = guardedSynth(fixture.pass);
      expect(result.open.map((f) => f.message)).toEqual([]);
      expect(result.error).toBeUndefined();
      // The rule did look at the fixture: the passing fixture is not passing by having nothing to check.
      expect(result.report.stacks[0].evaluations.filter((e) => e.ruleId === id && e.outcome === "pass")).not.toEqual(
        [],
      );
    });

    it(`fails its failing fixture with a ${rule.level}`, () => {
      const result = guardedSynth(fixture.fail);
      expect(openRuleIds(result)).toEqual([id, ...(fixture.alsoFails ?? [])].sort());
      const finding = result.open.find((f) => f.ruleId === id);
      expect(finding?.level).toBe(rule.level);
      expect(finding?.message).toContain(`Fix: ${rule.fix}`);
      if (rule.level === "error") expect(result.error?.message).toContain(id);
      else expect(result.error).toBeUndefined();
    });
  });
});

describe("SMD-IAM-7's exemption for roles EC2 and EKS must be passed", () => {
  const trustWith = (statement: Record<string, unknown>) => (stack: TerraformStack) => {
    new IamRole(stack, "Role", {
      name: "fixture-node",
      permissionsBoundary: "arn:aws:iam::111122223333:policy/fixture-boundary",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] }),
    });
  };

  it("accepts EC2 or EKS assuming (and tagging) a role without a source condition", () => {
    for (const [service, actions] of [
      ["ec2.amazonaws.com", ["sts:AssumeRole"]],
      ["eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]],
    ] as const) {
      const result = guardedSynth(trustWith({ Principal: { Service: service }, Action: actions }));
      expect([service, openRuleIds(result)]).toEqual([service, []]);
    }
  });

  it.each([
    [
      "another service beside EC2",
      { Principal: { Service: ["ec2.amazonaws.com", "s3.amazonaws.com"] }, Action: "sts:AssumeRole" },
    ],
    [
      "an action beyond assuming",
      { Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] },
    ],
  ])("still refuses %s", (_what, statement) => {
    expect(openRuleIds(guardedSynth(trustWith(statement)))).toEqual(["SMD-IAM-7"]);
  });
});
