import { SigningKey, type SigningKeyProps } from "../../../constructs/keys/signing-key";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, type RenderedStatement, statementsOf, synthJson, testStack } from "../../support/synth";

const SIGNER = "arn:aws:iam::111122223333:role/ci-model-publisher";
const VERIFIER = "arn:aws:iam::111122223333:role/fraud-inference";

function synthKey(props: Partial<SigningKeyProps> = {}, configure?: (key: SigningKey) => void) {
  const stack = testStack();
  const key = new SigningKey(stack, "Signing", { alias: "test-models-signing", ...props });
  configure?.(key);
  const json = synthJson(stack);
  const resource = onlyResource(json, "aws_kms_key");
  return { key, json, resource, statements: statementsOf(resource.policy) };
}

const bySid = (statements: RenderedStatement[], sid: string) => statements.find((s) => s.Sid === sid);

describe("SigningKey", () => {
  it("is an asymmetric SIGN_VERIFY key (ECDSA P-256 by default), enabled, protected, with an alias", () => {
    const { resource, json, key } = synthKey();
    expect(resource).toMatchObject({
      key_usage: "SIGN_VERIFY",
      customer_master_key_spec: "ECC_NIST_P256",
      enable_key_rotation: false,
      is_enabled: true,
      deletion_window_in_days: 30,
      bypass_policy_lockout_safety_check: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource).not.toHaveProperty("rotation_period_in_days");
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/test-models-signing");
    expect(key.signingAlgorithm).toBe("ECDSA_SHA_256");
  });

  it("lets signers sign and verifiers verify, with the key's one algorithm, and both read the public key", () => {
    const { statements } = synthKey({}, (key) => {
      key.grantSign(SIGNER);
      key.grantVerify({ arn: VERIFIER });
    });
    expect(bySid(statements, "Sign")).toMatchObject({
      Principal: { AWS: [SIGNER] },
      Action: ["kms:Sign"],
      Condition: { StringEquals: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } },
    });
    expect(bySid(statements, "Verify")).toMatchObject({
      Principal: { AWS: [VERIFIER] },
      Action: ["kms:Verify"],
      Condition: { StringEquals: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } },
    });
    expect(bySid(statements, "ReadPublicKey")).toMatchObject({
      Principal: { AWS: [SIGNER, VERIFIER] },
      Action: ["kms:GetPublicKey", "kms:DescribeKey"],
    });
  });

  it("gives no one any use until granted, and administrators never use it", () => {
    const { statements } = synthKey();
    expect(statements.map((s) => s.Sid)).toEqual(["KeyAdministration", "RootUserRecovery"]);
    for (const s of statements) expect(s.Action).not.toContain("kms:Sign");
  });

  it("takes the other RSA and ECC specs, each with its algorithm", () => {
    expect(synthKey({ keySpec: "RSA_4096" }).key.signingAlgorithm).toBe("RSASSA_PSS_SHA_384");
    expect(synthKey({ keySpec: "ECC_NIST_P384" }).resource.customer_master_key_spec).toBe("ECC_NIST_P384");
  });

  it("rejects a symmetric or unknown spec, and an alias of AWS's", () => {
    expect(() => synthKey({ keySpec: "SYMMETRIC_DEFAULT" as "RSA_3072" })).toThrow(
      'keySpec = "SYMMETRIC_DEFAULT" is not allowed; allowed: ECC_NIST_P256, ECC_NIST_P384, RSA_3072, RSA_4096',
    );
    expect(() => synthKey({ alias: "aws/signing" })).toThrow('alias = "aws/signing" is not allowed');
  });

  it("passes every guardrail (rotation applies to symmetric keys only)", () => {
    const result = guardedSynth((stack) => new SigningKey(stack, "Signing", { alias: "s" }).grantSign(SIGNER));
    expect(result.open.map((f) => f.message)).toEqual([]);
  });
});
