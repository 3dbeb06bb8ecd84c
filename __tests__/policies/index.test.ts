import * as policies from "../../policies";

describe("the guardrails' public face", () => {
  it("exports what app teams need to guard their own stacks", () => {
    expect(Object.keys(policies).sort()).toEqual(
      [
        "CONTROLS",
        "Guardrails",
        "GuardrailsError",
        "GuardrailsReport",
        "SecureModelDeployment",
        "synthWithGuardrails",
      ].sort(),
    );
  });
});
