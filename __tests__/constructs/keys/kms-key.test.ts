import { KMS_ADMIN_ACTIONS, KmsKey, type KmsKeyProps } from "../../../constructs/keys/kms-key";
import { onlyResource, type RenderedStatement, statementsOf, synthJson, testStack } from "../../support/synth";

const ADMIN = "arn:aws:iam::111122223333:role/key-admin";
const READER = "arn:aws:iam::111122223333:role/model-reader";

function synthKey(props: Partial<KmsKeyProps> = {}, configure?: (key: KmsKey) => void) {
  const stack = testStack();
  const key = new KmsKey(stack, "Models", { alias: "acme-prod-models", ...props });
  configure?.(key);
  const json = synthJson(stack);
  const resource = onlyResource(json, "aws_kms_key");
  return { json, resource, statements: statementsOf(resource.policy), key };
}

function statement(statements: RenderedStatement[], sid: string): RenderedStatement {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
}

describe("KmsKey", () => {
  it("is a symmetric, enabled key with yearly rotation, a 30-day deletion window and prevent_destroy", () => {
    const { resource } = synthKey();
    expect(resource).toMatchObject({
      enable_key_rotation: true,
      rotation_period_in_days: 90,
      deletion_window_in_days: 30,
      is_enabled: true,
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
      multi_region: false,
      bypass_policy_lockout_safety_check: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("has an alias pointing at the key", () => {
    const { json, key } = synthKey();
    const alias = onlyResource(json, "aws_kms_alias");
    expect(alias.name).toBe("alias/acme-prod-models");
    expect(alias.target_key_id).toMatch(/^\$\{aws_kms_key\.\w+\.key_id\}$/);
    expect(key.aliasName).toBe("alias/acme-prod-models");
  });

  it("keeps the key policy a literal JSON document with no wildcard principal and no wildcard action", () => {
    const { statements } = synthKey({ administrators: [ADMIN], users: [READER] });
    for (const s of statements) {
      expect(s.Principal).not.toBe("*");
      for (const list of Object.values(s.Principal as Record<string, string[]>)) expect(list).not.toContain("*");
      for (const action of s.Action) expect(action).not.toContain("*");
    }
  });

  it("gives administrators administration only, the deployer included by default", () => {
    const { statements } = synthKey({ administrators: [ADMIN] });
    const admin = statement(statements, "KeyAdministration");
    expect(admin.Principal).toEqual({
      AWS: [expect.stringMatching(/^\$\{data\.aws_iam_session_context\.\w+\.issuer_arn\}$/), ADMIN],
    });
    expect(admin.Action).toEqual([...KMS_ADMIN_ACTIONS]);
    expect(admin.Action).toContain("kms:PutKeyPolicy");
    expect(admin.Action).not.toContain("kms:Decrypt");
    expect(admin.Action).not.toContain("kms:Encrypt");
  });

  it("lets only the root user itself recover the key, without delegating to IAM", () => {
    const { statements } = synthKey();
    const root = statement(statements, "RootUserRecovery");
    expect(root.Principal).toEqual({
      AWS: [expect.stringMatching(/^arn:aws:iam::\$\{data\.aws_caller_identity\.\w+\.account_id\}:root$/)],
    });
    expect(root.Condition).toEqual({ StringEquals: { "aws:PrincipalType": "Account" } });
    expect(root.Action).not.toContain("kms:Decrypt");
  });

  it("can leave out the deployer and the root user when administrators are named", () => {
    const { statements } = synthKey({
      administrators: [ADMIN],
      includeDeployerAsAdministrator: false,
      allowRootUserRecovery: false,
    });
    expect(statements.map((s) => s.Sid)).toEqual(["KeyAdministration"]);
    expect(statement(statements, "KeyAdministration").Principal).toEqual({ AWS: [ADMIN] });
  });

  it("grants users encrypt and decrypt", () => {
    const { statements } = synthKey({ users: [READER] });
    const grant = statement(statements, "EncryptDecrypt1");
    expect(grant.Principal).toEqual({ AWS: [READER] });
    expect(grant.Action).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]));
    expect(grant).not.toHaveProperty("Condition");
  });

  it("narrows a grant to one service in this region and an exact encryption context", () => {
    const { statements } = synthKey({}, (key) =>
      key.grantDecrypt(
        { arn: READER },
        { viaService: "s3", encryptionContext: { "aws:s3:arn": "arn:aws:s3:::models" } },
      ),
    );
    const grant = statement(statements, "Decrypt1");
    expect(grant.Action).toEqual(["kms:Decrypt", "kms:DescribeKey"]);
    expect(grant.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::models",
      },
    });
  });

  it("lets CloudWatch Logs use the key only for log groups of this account and region", () => {
    const { statements } = synthKey({}, (key) => key.grantCloudWatchLogs("/acme/prod/"));
    const logs = statement(statements, "CloudWatchLogs1");
    expect(logs.Principal).toEqual({ Service: ["logs.eu-west-1.amazonaws.com"] });
    expect(logs.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": expect.stringMatching(
          /^arn:aws:logs:eu-west-1:\$\{data\.aws_caller_identity\.\w+\.account_id\}:log-group:\/acme\/prod\/\*$/,
        ),
      },
    });
  });

  it("lets an S3 writer generate data keys and decrypt them (multipart uploads), without kms:Encrypt", () => {
    const { statements } = synthKey({}, (key) =>
      key.grantGenerateDataKey(READER, { viaService: "s3", encryptionContext: { "aws:s3:arn": "arn:aws:s3:::m" } }),
    );
    expect(statement(statements, "DataKeys1")).toMatchObject({
      Principal: { AWS: [READER] },
      Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
      Condition: {
        StringEquals: {
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::m",
        },
      },
    });
  });

  it("lets a principal have ECR create grants for AWS resources only, via ECR only", () => {
    const { statements } = synthKey({}, (key) => key.grantServiceGrants(ADMIN, "ecr"));
    expect(statement(statements, "ServiceGrants1")).toMatchObject({
      Principal: { AWS: [ADMIN] },
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Condition: {
        Bool: { "kms:GrantIsForAWSResource": true },
        StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" },
      },
    });
  });

  it("lets a service principal use the key for this account's requests only", () => {
    const { statements } = synthKey({}, (key) => key.grantServicePrincipal("events.amazonaws.com"));
    expect(statement(statements, "Service1")).toMatchObject({
      Principal: { Service: ["events.amazonaws.com"] },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/account_id/) } },
    });
    expect(() => synthKey({}, (key) => key.grantServicePrincipal("events"))).toThrow(
      'servicePrincipal = "events" is not allowed',
    );
  });

  it("lives in another region when told, and grants via that region's services", () => {
    const { resource, json, statements } = synthKey({ region: "eu-central-1" }, (key) =>
      key.grantDecrypt(READER, { viaService: "s3" }),
    );
    expect(resource.region).toBe("eu-central-1");
    expect(onlyResource(json, "aws_kms_alias").region).toBe("eu-central-1");
    expect(statement(statements, "Decrypt1").Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
    });
    expect(() => synthKey({ region: "Frankfurt" })).toThrow('region = "Frankfurt" is not allowed');
  });

  it("accepts the edges of its ranges", () => {
    expect(synthKey({ deletionWindowInDays: 7, rotationPeriodInDays: 90 }).resource).toMatchObject({
      deletion_window_in_days: 7,
      rotation_period_in_days: 90,
    });
    expect(synthKey({ deletionWindowInDays: 30, rotationPeriodInDays: 2560 }).resource).toMatchObject({
      rotation_period_in_days: 2560,
    });
  });

  describe("bad input", () => {
    it.each<[string, Partial<KmsKeyProps>, RegExp]>([
      [
        "a deletion window under 7 days",
        { deletionWindowInDays: 6 },
        /deletionWindowInDays = 6 is not allowed; allowed: a whole number from 7 to 30/,
      ],
      ["a deletion window over 30 days", { deletionWindowInDays: 31 }, /deletionWindowInDays = 31 .* from 7 to 30/],
      ["a fractional deletion window", { deletionWindowInDays: 7.5 }, /deletionWindowInDays = 7.5/],
      ["a rotation period under 90 days", { rotationPeriodInDays: 89 }, /rotationPeriodInDays = 89 .* from 90 to 2560/],
      ["an alias in the aws/ namespace", { alias: "aws/s3" }, /alias = "aws\/s3" is not allowed; allowed: letters/],
      ["an alias with spaces", { alias: "my key" }, /alias = "my key"/],
      ["an empty alias", { alias: "" }, /alias = ""/],
      [
        "no administrator at all",
        { includeDeployerAsAdministrator: false },
        /administrators = \[\] is not allowed; allowed: at least one administrator ARN when includeDeployerAsAdministrator is false/,
      ],
      [
        "an administrator that is not an IAM ARN",
        { administrators: ["key-admin"] },
        /administrators = "key-admin" .* IAM role or user ARNs/,
      ],
    ])("rejects %s, naming the construct path", (_name, props, message) => {
      const stack = testStack();
      expect(() => new KmsKey(stack, "Models", { alias: "acme-models", ...props })).toThrow(message);
      expect(() => new KmsKey(stack, "Other", { alias: "acme-models", ...props })).toThrow(/^test\/Other: /);
      // Nothing is half-created: the failed constructs left no resource behind.
      expect(synthJson(stack).resource).toBeUndefined();
    });

    it("rejects a viaService that is not a service name", () => {
      const stack = testStack();
      const key = new KmsKey(stack, "Models", { alias: "acme-models" });
      expect(() => key.grantDecrypt(READER, { viaService: "s3.amazonaws.com" })).toThrow(
        /test\/Models: viaService = "s3.amazonaws.com" is not allowed/,
      );
    });
  });

  it("lets viewers read the key's configuration, for terraform plan, and never use or change it", () => {
    const planRole = "arn:aws:iam::111122223333:role/smd-dev-ci-plan";
    const { statements } = synthKey({ viewers: [planRole] });
    expect(statement(statements, "KeyConfigurationViewers")).toMatchObject({
      Principal: { AWS: [planRole] },
      Action: [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:ListKeyRotations",
        "kms:ListResourceTags",
      ],
    });
  });

  it("rejects a viewer that is not an IAM role or user ARN", () => {
    expect(() => synthKey({ viewers: ["arn:aws:iam::111122223333:group/ops"] })).toThrow(
      'viewers = "arn:aws:iam::111122223333:group/ops" is not allowed; allowed: IAM role or user ARNs',
    );
  });
});
