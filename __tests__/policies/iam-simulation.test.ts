import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { KmsKey } from "../../constructs/keys/kms-key";
import { type AccessRequest, decide, materializePolicy, type PolicyJson } from "../../policies/iam-simulation";
import { buildBlueprint } from "../../stacks/blueprint";
import { loadEnvironment } from "../../stacks/config";
import { synthJson, type TerraformJson, testStack } from "../support/synth";

const ACCOUNT = "111122223333";
const OTHER_ACCOUNT = "444455556666";
const REGION = "eu-west-1";
const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/smd-apply-dev`;
const DEPLOYER = `arn:aws:sts::${ACCOUNT}:assumed-role/smd-apply-dev/terraform`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const LOGS = `logs.${REGION}.amazonaws.com`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/key-admin`;

/** Values for the expressions a key policy holds: the deployer's role, the account and the inference API's ID. */
function expressionValue(expression: string): string | undefined {
  if (expression.endsWith(".issuer_arn")) return DEPLOYER_ROLE;
  if (expression.endsWith(".account_id")) return ACCOUNT;
  // The API's execution log group is named after the API's ID.
  if (/^aws_api_gateway_rest_api\.[\w-]+\.id$/.test(expression)) return "a1b2c3d4e5";
  return undefined;
}

/** The key policy of a synthesized stack's one key (or its logs key), with its expressions resolved. */
function keyPolicyOf(json: TerraformJson): PolicyJson {
  const all = Object.values(json.resource?.aws_kms_key ?? {});
  const keys = all.length === 1 ? all : all.filter((k) => String(k.description).startsWith("CloudWatch Logs"));
  expect(keys).toHaveLength(1);
  return materializePolicy(keys[0].policy, expressionValue);
}

/** An identity policy that allows everything on the key: what a careless IAM admin might attach. */
const KMS_EVERYTHING: PolicyJson = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "kms:*", Resource: KEY }],
};

const FLOW_LOGS = "/smd-dev/vpc-flow-logs";
const logGroup = (account: string, region = REGION, name = FLOW_LOGS) =>
  `arn:aws:logs:${region}:${account}:log-group:${name}`;

describe("IAM simulation of the platform stack's logs key policy", () => {
  let policy: PolicyJson;
  const on = (request: Omit<AccessRequest, "resource" | "resourceAccount" | "resourcePolicy">) =>
    decide({ ...request, resource: KEY, resourceAccount: ACCOUNT, resourcePolicy: policy });

  beforeAll(() => {
    const outdir = mkdtempSync(join(tmpdir(), "iam-simulation-"));
    const app = new App({ outdir });
    buildBlueprint(app, loadEnvironment("dev"));
    app.synth();
    policy = keyPolicyOf(JSON.parse(readFileSync(join(outdir, "stacks", "platform-dev", "cdk.tf.json"), "utf8")));
    rmSync(outdir, { recursive: true, force: true });
  });

  it.each(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:DescribeKey"])(
    "lets the deployer administer the key: %s",
    async (action) => {
      expect(await on({ principal: DEPLOYER, action })).toBe("Allowed");
    },
  );

  it.each(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom"])(
    "gives the deployer no use of the key: %s",
    async (action) => {
      expect(await on({ principal: DEPLOYER, action })).toBe("ImplicitlyDenied");
    },
  );

  it("lets the account's root user recover the key, but never use it", async () => {
    const root = `arn:aws:iam::${ACCOUNT}:root`;
    expect(await on({ principal: root, action: "kms:PutKeyPolicy" })).toBe("Allowed");
    expect(await on({ principal: root, action: "kms:Decrypt" })).toBe("ImplicitlyDenied");
  });

  it("delegates nothing to IAM: another role of the account with kms:* in its own policy gets nothing", async () => {
    const role = `arn:aws:sts::${ACCOUNT}:assumed-role/data-scientist/alice`;
    for (const action of ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) {
      expect(await on({ principal: role, action, identityPolicies: [KMS_EVERYTHING] })).toBe("ImplicitlyDenied");
    }
  });

  it("would catch the usual 'Enable IAM User Permissions' statement (the check can fail)", async () => {
    const delegating: PolicyJson = {
      ...policy,
      Statement: [
        ...policy.Statement,
        {
          Sid: "EnableIamUserPermissions",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    const role = `arn:aws:sts::${ACCOUNT}:assumed-role/data-scientist/alice`;
    expect(
      await decide({
        principal: role,
        action: "kms:Decrypt",
        resource: KEY,
        resourceAccount: ACCOUNT,
        resourcePolicy: delegating,
        identityPolicies: [KMS_EVERYTHING],
      }),
    ).toBe("Allowed");
  });

  it("gives another account nothing, even its root user", async () => {
    for (const principal of [`arn:aws:iam::${OTHER_ACCOUNT}:root`, `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/x/y`]) {
      expect(await on({ principal, action: "kms:Decrypt", identityPolicies: [KMS_EVERYTHING] })).toBe(
        "ImplicitlyDenied",
      );
    }
  });

  it("lets CloudWatch Logs encrypt only for the environment's own log groups, in this account and region", async () => {
    const encrypt = (context: Record<string, string>) =>
      on({ principal: LOGS, action: "kms:GenerateDataKey", context });
    expect(await encrypt({ "kms:EncryptionContext:aws:logs:arn": logGroup(ACCOUNT) })).toBe("Allowed");
    expect(await encrypt({ "kms:EncryptionContext:aws:logs:arn": logGroup(OTHER_ACCOUNT) })).toBe("ImplicitlyDenied");
    expect(await encrypt({ "kms:EncryptionContext:aws:logs:arn": logGroup(ACCOUNT, "us-east-1") })).toBe(
      "ImplicitlyDenied",
    );
    expect(await encrypt({ "kms:EncryptionContext:aws:logs:arn": logGroup(ACCOUNT, REGION, "/other/group") })).toBe(
      "ImplicitlyDenied",
    );
    expect(
      await encrypt({ "kms:EncryptionContext:aws:logs:arn": logGroup(ACCOUNT, REGION, `${FLOW_LOGS}-copy`) }),
    ).toBe("ImplicitlyDenied");
    expect(await encrypt({})).toBe("ImplicitlyDenied");
  });

  it("does not let CloudWatch Logs administer the key", async () => {
    const context = { "kms:EncryptionContext:aws:logs:arn": logGroup(ACCOUNT) };
    expect(await on({ principal: LOGS, action: "kms:PutKeyPolicy", context })).toBe("ImplicitlyDenied");
    expect(await on({ principal: LOGS, action: "kms:ScheduleKeyDeletion", context })).toBe("ImplicitlyDenied");
  });
});

describe("IAM simulation of KmsKey grants", () => {
  const reader = `arn:aws:iam::${ACCOUNT}:role/model-reader`;

  async function decideOnKey(
    configure: (key: KmsKey) => void,
    request: Omit<AccessRequest, "resource" | "resourceAccount" | "resourcePolicy">,
  ) {
    const stack = testStack(REGION);
    const key = new KmsKey(stack, "Key", { alias: "fixture", administrators: [ADMIN_ROLE] });
    configure(key);
    return decide({
      ...request,
      resource: KEY,
      resourceAccount: ACCOUNT,
      resourcePolicy: keyPolicyOf(synthJson(stack)),
    });
  }

  it("lets a named administrator manage the key but not use it", async () => {
    const admin = `arn:aws:sts::${ACCOUNT}:assumed-role/key-admin/bob`;
    expect(await decideOnKey(() => undefined, { principal: admin, action: "kms:ScheduleKeyDeletion" })).toBe("Allowed");
    expect(await decideOnKey(() => undefined, { principal: admin, action: "kms:Decrypt" })).toBe("ImplicitlyDenied");
  });

  it("limits grantDecrypt to the service and the encryption context it names", async () => {
    const grant = (key: KmsKey) =>
      key.grantDecrypt(reader, { viaService: "s3", encryptionContext: { "aws:s3:arn": "arn:aws:s3:::models" } });
    const viaS3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };
    const bucket = { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::models" };
    const principal = `arn:aws:sts::${ACCOUNT}:assumed-role/model-reader/pod`;
    expect(await decideOnKey(grant, { principal, action: "kms:Decrypt", context: { ...viaS3, ...bucket } })).toBe(
      "Allowed",
    );
    expect(await decideOnKey(grant, { principal, action: "kms:Decrypt", context: bucket })).toBe("ImplicitlyDenied");
    expect(
      await decideOnKey(grant, {
        principal,
        action: "kms:Decrypt",
        context: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::other" },
      }),
    ).toBe("ImplicitlyDenied");
    expect(await decideOnKey(grant, { principal, action: "kms:Encrypt", context: { ...viaS3, ...bucket } })).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("the simulation harness", () => {
  it("refuses a policy with an expression it has no value for", () => {
    expect(() => materializePolicy('{"Statement":[{"Resource":"${aws_s3_bucket.b.arn}"}]}', expressionValue)).toThrow(
      "no value given for the expression ${aws_s3_bucket.b.arn}",
    );
  });

  it("refuses a context key that does not apply to the action", async () => {
    await expect(
      decide({
        principal: DEPLOYER,
        action: "kms:Decrypt",
        resource: KEY,
        resourceAccount: ACCOUNT,
        context: { "s3:prefix": "models/" },
      }),
    ).rejects.toThrow(/context keys s3:prefix do not apply to kms:Decrypt/);
  });
});
