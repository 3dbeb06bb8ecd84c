import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as library from "../../index";
import * as policies from "../../policies";
import { SecureModelDeployment } from "../../policies/guardrails/secure-model-deployment";

/** The names of the classes the project defines, in every source folder. */
function projectClasses(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) {
        for (const m of readFileSync(path, "utf8").matchAll(/export class (\w+)/g)) names.add(m[1]);
      }
    }
  };
  for (const dir of ["constructs", "policies", "stacks"]) walk(join(__dirname, "..", "..", dir));
  return names;
}

describe("the guardrails' public face", () => {
  it("exports what app teams need to guard their own stacks", () => {
    expect(Object.keys(policies).sort()).toEqual(
      [
        "CONTROLS",
        "Guardrails",
        "GuardrailsError",
        "GuardrailsReport",
        "PROFILES",
        "SecureModelDeployment",
        "profilesOf",
        "recordOf",
        "recordProblem",
        "synthWithGuardrails",
      ].sort(),
    );
  });

  it("names in its fix messages only constructs an app team can import from the package", () => {
    const ours = projectClasses();
    for (const rule of SecureModelDeployment.rules) {
      // Every class of ours a fix mentions, and every name a fix says "does" the right thing, is exported.
      const named = [...rule.fix.matchAll(/\b([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)\b/g)].map((m) => m[1]);
      const doers = [
        ...rule.fix.matchAll(
          /\b([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)(?: and ([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+))? (?:always )?(?:does|do|writes|creates|refuses?|makes|probes)\b/g,
        ),
      ].flatMap((m) => [m[1], m[2]].filter((n): n is string => n !== undefined));
      for (const name of [...named.filter((n) => ours.has(n)), ...doers]) {
        expect([rule.id, name, name in library]).toEqual([rule.id, name, true]);
      }
    }
  });
});
