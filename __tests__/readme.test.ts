import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROFILES, profilesOf } from "../policies/guardrails/profiles";
import { SecureModelDeployment } from "../policies/guardrails/secure-model-deployment";
import { SUPPRESSIONS } from "../policies/suppressions";

const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

describe("the README", () => {
  it("lists every rule of the pack with its level and whether it can be suppressed", () => {
    for (const rule of SecureModelDeployment.rules) {
      const level = rule.suppressible === false ? `${rule.level}, **cannot be suppressed**` : rule.level;
      expect(readme).toContain(`| \`${rule.id}\` | ${level} |`);
    }
  });

  it("says which rules each guardrail profile holds that the other does not", () => {
    for (const profile of PROFILES) {
      const only = SecureModelDeployment.rules
        .filter((r) => profilesOf(r).length === 1 && profilesOf(r)[0] === profile)
        .map((r) => `\`${r.id}\``)
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      expect(readme).toContain(`| \`${profile}\` | ${only.join(", ")} (`);
    }
  });

  it("links nothing outside the repository but public upstream documentation", () => {
    expect(readme).not.toMatch(/\.\.\/shared|DESIGN\.md/);
  });

  it("shows every suppression in force, or says there is none", () => {
    if (SUPPRESSIONS.length === 0) expect(readme).toContain("**Suppressions in force: none.**");
    for (const s of SUPPRESSIONS) expect(readme).toContain(`\`${s.path}\` ${s.ruleId}: ${s.reason}`);
  });
});
