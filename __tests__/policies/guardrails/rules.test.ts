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
