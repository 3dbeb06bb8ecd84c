import { TerraformOutput } from "cdktf";
import { PolicyDocument } from "../../../constructs/identity/policy-document";
import { ModelStore } from "../../../constructs/storage/model-store";
import { ModelStoreReference } from "../../../constructs/storage/model-store-reference";
import { type AccessRequest, decide, materializePolicy, type PolicyJson } from "../../../policies/iam-simulation";
import { STORE_PROPS, TestRole } from "../../support/model-store";
import { resourcesOf, synthJson, testStack } from "../../support/synth";

/**
 * An app team reads its own models from the platform's store, from a stack of its own: the platform's key policies
 * delegate reads to the team's role family, the team's role holds what ModelStoreReference.grantRead writes. The
 * simulation joins the two stacks' synthesized policies.
 */

const ACCOUNT = "111122223333";
const SESSION = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`;
const BUCKET = "arn:aws:s3:::smd-test-models";
const CHURN = `${BUCKET}/models/churn/v1/model.safetensors`;
const FRAUD = `${BUCKET}/models/fraud/v3/model.safetensors`;
const STORE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const SIGNING_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/22222222-2222-3333-4444-555555555555`;
const VIA_S3 = { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": BUCKET };
const IN_VPC = { "aws:SourceVpce": "vpce-0123456789abcdef0", "s3:TlsVersion": "1.3" };

// The platform's stack: the store, delegating reads to roles named test-app-*.
const platform = testStack();
new ModelStore(platform, "Models", { ...STORE_PROPS, delegatedReaderRolePrefix: "test-app-" });
const platformJson = synthJson(platform);

// The team's stack: the store looked up by name, its role granted models/churn/.
const team = testStack();
const reference = new ModelStoreReference(team, "Models", { name: "test-models", bucketName: "smd-test-models" });
const teamRole = new TestRole(`arn:aws:iam::${ACCOUNT}:role/test-app-churn`);
reference.grantRead(teamRole, "models/churn/");
// The role's policy as it would synthesize: an output of it resolves the references to the looked-up keys.
new TerraformOutput(team, "role_policy", { value: new PolicyDocument("team", teamRole.statements).toJson() });
const teamJson = synthJson(team);

function valueFor(expression: string): string | undefined {
  if (expression.endsWith(".account_id")) return ACCOUNT;
  if (expression.endsWith(".issuer_arn")) return `arn:aws:iam::${ACCOUNT}:role/ci-apply`;
  if (/^aws_kms_key\.Models_Key_\w+\.arn$/.test(expression)) return STORE_KEY;
  if (/^data\.aws_kms_alias\.Models_Key_\w+\.target_key_arn$/.test(expression)) return STORE_KEY;
  if (/^data\.aws_kms_alias\.Models_SigningKey_\w+\.target_key_arn$/.test(expression)) return SIGNING_KEY;
  return undefined;
}
const keyPolicy = (usage: string) =>
  materializePolicy(
    Object.values(resourcesOf(platformJson, "aws_kms_key")).find((k) => k.key_usage === usage)?.policy,
    valueFor,
  );
const bucketPolicy = materializePolicy(
  Object.values(resourcesOf(platformJson, "aws_s3_bucket_policy")).find((p) =>
    String(p.policy).includes("DenyReadsOutsideVpcEndpoint"),
  )?.policy,
  valueFor,
);
/** The team role's policy as it synthesizes: the references resolved to the looked-up keys. */
const teamPolicy = materializePolicy(teamJson.output?.role_policy.value, valueFor);
const teamIdentity = (): PolicyJson => teamPolicy;

type Request = Omit<AccessRequest, "resourceAccount">;
const onStoreKey = (request: Omit<Request, "resource" | "resourcePolicy">) =>
  decide({ ...request, resource: STORE_KEY, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy("ENCRYPT_DECRYPT") });
const onSigningKey = (request: Omit<Request, "resource" | "resourcePolicy">) =>
  decide({ ...request, resource: SIGNING_KEY, resourceAccount: ACCOUNT, resourcePolicy: keyPolicy("SIGN_VERIFY") });
const onBucket = (request: Omit<Request, "resourcePolicy">) =>
  decide({ ...request, resourceAccount: ACCOUNT, resourcePolicy: bucketPolicy });

describe("ModelStoreReference", () => {
  it("looks the store's keys up by their aliases and writes nothing of the store's", () => {
    const aliases = Object.values(teamJson.data?.aws_kms_alias ?? {}).map((a) => a.name);
    expect(aliases.sort()).toEqual(["alias/test-models", "alias/test-models-signing"]);
    expect(Object.keys(teamJson.resource ?? {})).toEqual([]);
    expect(teamPolicy.Statement.map((s) => s.Sid)).toEqual([
      "ReadObjects1",
      "ReadList1",
      "DecryptModels1",
      "VerifyModels1",
      "ReadSigningPublicKey1",
    ]);
  });

  it("makes the platform's keys delegate reads to the team's role family, and only reads", () => {
    const delegated = keyPolicy("ENCRYPT_DECRYPT").Statement.find((s) => String(s.Sid).startsWith("DelegatedDecrypt"));
    expect(delegated).toEqual({
      Sid: expect.stringMatching(/^DelegatedDecrypt\d+$/),
      Effect: "Allow",
      Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: ["*"],
      Condition: {
        ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/test-app-*` },
        StringEquals: VIA_S3,
      },
    });
  });

  describe("IAM simulation across the two stacks", () => {
    const team = (identity: PolicyJson[] = [teamIdentity()]) => ({
      principal: SESSION("test-app-churn"),
      identityPolicies: identity,
    });

    it("lets the team's role read its own models through the VPC endpoint, nothing else of the store", async () => {
      const get = (resource: string, context: Record<string, string> = IN_VPC) =>
        onBucket({ ...team(), action: "s3:GetObject", resource, context });
      expect(await get(CHURN)).toBe("Allowed");
      expect(await get(FRAUD)).toBe("ImplicitlyDenied");
      expect(await get(CHURN, { "s3:TlsVersion": "1.3" })).toBe("ExplicitlyDenied");
      expect(await onBucket({ ...team(), action: "s3:PutObject", resource: CHURN, context: IN_VPC })).toBe(
        "ExplicitlyDenied",
      );
    });

    it("lets it decrypt only via S3 for this bucket, and only because its own policy says so", async () => {
      expect(await onStoreKey({ ...team(), action: "kms:Decrypt", context: VIA_S3 })).toBe("Allowed");
      expect(await onStoreKey({ ...team([]), action: "kms:Decrypt", context: VIA_S3 })).toBe("ImplicitlyDenied");
      expect(
        await onStoreKey({
          ...team(),
          action: "kms:Decrypt",
          context: { ...VIA_S3, "kms:ViaService": "sqs.eu-west-1.amazonaws.com" },
        }),
      ).toBe("ImplicitlyDenied");
      expect(await onStoreKey({ ...team(), action: "kms:GenerateDataKey", context: VIA_S3 })).toBe("ImplicitlyDenied");
    });

    it("keeps a role outside the family out, whatever its own policy allows", async () => {
      const everything: PolicyJson = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["kms:Decrypt", "kms:Verify"], Resource: "*" }],
      };
      const outsider = { principal: SESSION("other-team"), identityPolicies: [everything] };
      expect(await onStoreKey({ ...outsider, action: "kms:Decrypt", context: VIA_S3 })).toBe("ImplicitlyDenied");
      expect(
        await onSigningKey({ ...outsider, action: "kms:Verify", context: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } }),
      ).toBe("ImplicitlyDenied");
    });

    it("lets it verify signatures with the store's algorithm and read the public key, never sign", async () => {
      const verify = (algorithm: string) =>
        onSigningKey({ ...team(), action: "kms:Verify", context: { "kms:SigningAlgorithm": algorithm } });
      expect(await verify("ECDSA_SHA_256")).toBe("Allowed");
      expect(await verify("ECDSA_SHA_384")).toBe("ImplicitlyDenied");
      expect(await onSigningKey({ ...team(), action: "kms:GetPublicKey" })).toBe("Allowed");
      expect(
        await onSigningKey({ ...team(), action: "kms:Sign", context: { "kms:SigningAlgorithm": "ECDSA_SHA_256" } }),
      ).toBe("ImplicitlyDenied");
    });
  });

  describe("refuses", () => {
    const stack = testStack();
    const store = new ModelStoreReference(stack, "Store", { name: "test-models", bucketName: "smd-test-models" });
    it("a grant to a role it cannot write the policy of, or of the whole store", () => {
      expect(() => store.grantRead(`arn:aws:iam::${ACCOUNT}:role/test-app-x`, "models/x/")).toThrow(
        /Store: grantee = "arn:aws:iam::111122223333:role\/test-app-x" is not allowed; allowed: a Grantable role of this stack/,
      );
      expect(() => store.grantRead(new TestRole("arn:aws:iam::111122223333:role/x"), "")).toThrow(
        /Store: prefix = "" is not allowed; allowed: the prefix of the team's own models/,
      );
      expect(() => store.grantRead(new TestRole("arn:aws:iam::111122223333:role/x"), "../")).toThrow(
        /prefix = "\.\.\/"/,
      );
    });

    it("a bad name, bucket or signing algorithm", () => {
      expect(() => new ModelStoreReference(stack, "A", { name: "Bad_Name", bucketName: "ok-bucket" })).toThrow(
        /A: name = "Bad_Name" is not allowed/,
      );
      expect(() => new ModelStoreReference(stack, "B", { name: "ok", bucketName: "Bad" })).toThrow(
        /B: bucketName = "Bad" is not allowed/,
      );
      expect(
        () =>
          new ModelStoreReference(stack, "C", {
            name: "ok",
            bucketName: "ok-bucket",
            signingAlgorithm: "MD5" as "ECDSA_SHA_256",
          }),
      ).toThrow(/C: signingAlgorithm = "MD5" is not allowed; allowed: ECDSA_SHA_256/);
    });

    it("a delegation to a prefix that names no family of roles", () => {
      const s = testStack();
      expect(() => new ModelStore(s, "M", { ...STORE_PROPS, delegatedReaderRolePrefix: "x" })).toThrow(
        /roleNamePrefix = "x" is not allowed; allowed: a role name prefix of 3 to 40 characters ending in "-"/,
      );
      expect(() => new ModelStore(testStack(), "M", { ...STORE_PROPS, delegatedReaderRolePrefix: "team*-" })).toThrow(
        /roleNamePrefix = "team\*-" is not allowed/,
      );
    });
  });
});
