import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { type AccessRequest, decide, materializePolicy, type PolicyJson } from "../../policies/iam-simulation";
import { buildBlueprint } from "../../stacks/blueprint";
import { ciNames, ENVIRONMENTS, type EnvironmentConfig, loadEnvironment } from "../../stacks/config";
import type { TerraformJson } from "../support/synth";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const env = loadEnvironment("dev");
const names = ciNames(env);
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SESSION = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/github-actions`;
const ADMIN = ROLE("platform-admin");
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const STATE = `arn:aws:s3:::${env.state.bucket}`;
const STATE_OBJECT = (name: string) => `${STATE}/${env.state.keyPrefix}/${name}`;
const REPOSITORY = env.ci.repository;

function synthBootstrap(environment: EnvironmentConfig = env): TerraformJson {
  const outdir = mkdtempSync(join(tmpdir(), "bootstrap-"));
  try {
    const app = new App({ outdir });
    buildBlueprint(app, environment);
    app.synth();
    return JSON.parse(readFileSync(join(outdir, "stacks", "bootstrap", "cdk.tf.json"), "utf8")) as TerraformJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const json = synthBootstrap();
const resources = (type: string) => json.resource?.[type] ?? {};
const byName = (type: string, name: string) => {
  const found = Object.entries(resources(type)).find(([, r]) => r.name === name || r.bucket === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return { address: `${type}.${found[0]}`, config: found[1] };
};
const plan = byName("aws_iam_role", names.planRole);
const apply = byName("aws_iam_role", names.applyRole);

/** Concrete values for the expressions the bootstrap's policies hold. */
function valueFor(expression: string): string | undefined {
  if (expression.endsWith(".account_id")) return ACCOUNT;
  if (expression.endsWith(".issuer_arn")) return ADMIN;
  if (expression === `${plan.address}.arn`) return ROLE(names.planRole);
  if (expression === `${apply.address}.arn`) return ROLE(names.applyRole);
  return undefined;
}
const policy = (value: unknown) => materializePolicy(value, valueFor);
const inlinePolicyOf = (role: { address: string }) => {
  const attached = Object.values(resources("aws_iam_role_policy")).filter((p) => p.role === `\${${role.address}.id}`);
  expect(attached).toHaveLength(1);
  return policy(attached[0].policy);
};
const boundary = policy(byName("aws_iam_policy", names.boundary).config.policy);

/** Whether GitHub Actions, with these claims, may assume a role of the bootstrap stack. */
const assume = (role: { config: Record<string, unknown> }, roleName: string, sub: string, aud = "sts.amazonaws.com") =>
  decide({
    principal: PROVIDER,
    action: "sts:AssumeRoleWithWebIdentity",
    resource: ROLE(roleName),
    resourceAccount: ACCOUNT,
    resourcePolicy: policy(role.config.assume_role_policy),
    context: {
      "token.actions.githubusercontent.com:sub": sub,
      "token.actions.githubusercontent.com:aud": aud,
    },
  });

describe("the bootstrap stack", () => {
  describe("the Terraform state bucket", () => {
    it("is encrypted under its own rotating key, versioned, public-blocked, logged and protected", () => {
      const bucket = byName("aws_s3_bucket", env.state.bucket);
      expect(bucket.config).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
      const companion = (type: string) =>
        Object.values(resources(type)).filter((c) => c.bucket === `\${${bucket.address}.id}`);
      expect(companion("aws_s3_bucket_server_side_encryption_configuration")[0]).toMatchObject({
        rule: [
          {
            apply_server_side_encryption_by_default: {
              sse_algorithm: "aws:kms",
              kms_master_key_id: expect.any(String),
            },
            bucket_key_enabled: true,
          },
        ],
      });
      expect(companion("aws_s3_bucket_versioning")[0]).toMatchObject({
        versioning_configuration: { status: "Enabled" },
      });
      expect(companion("aws_s3_bucket_public_access_block")[0]).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(companion("aws_s3_bucket_logging")[0]).toMatchObject({ target_prefix: "state/" });
      expect(companion("aws_s3_bucket_ownership_controls")[0]).toMatchObject({
        rule: { object_ownership: "BucketOwnerEnforced" },
      });
      const alias = Object.values(resources("aws_kms_alias"))[0];
      expect(alias.name).toBe(env.state.kmsKeyId);
      expect(Object.values(resources("aws_kms_key"))[0]).toMatchObject({
        enable_key_rotation: true,
        lifecycle: { prevent_destroy: true },
      });
    });

    it("needs no lock table: lock files live beside the state", () => {
      expect(Object.keys(resources("aws_dynamodb_table"))).toEqual([]);
    });

    describe("its bucket policy, simulated", () => {
      const bucketPolicy = policy(
        Object.values(resources("aws_s3_bucket_policy")).find((p) => String(p.policy).includes("DenyStateToOthers"))
          ?.policy,
      );
      const everything: PolicyJson = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${STATE}/*` }],
      };
      const onState = (principal: string, action: string, context: Record<string, string> = {}) =>
        decide({
          principal,
          action,
          resource: STATE_OBJECT("platform-dev.tfstate"),
          resourceAccount: ACCOUNT,
          resourcePolicy: bucketPolicy,
          identityPolicies: [everything],
          context,
        });

      it("lets the pipeline's roles and the administrator read and write state", async () => {
        for (const principal of [SESSION(names.applyRole), SESSION(names.planRole), SESSION("platform-admin")]) {
          expect(await onState(principal, "s3:GetObject")).toBe("Allowed");
        }
      });

      it("denies state to any other role of the account, whatever its own policy allows", async () => {
        expect(await onState(SESSION("data-scientist"), "s3:GetObject")).toBe("ExplicitlyDenied");
        expect(await onState(SESSION("data-scientist"), "s3:PutObject")).toBe("ExplicitlyDenied");
      });

      it("denies requests without TLS, even the pipeline's", async () => {
        expect(await onState(SESSION(names.applyRole), "s3:GetObject", { "aws:SecureTransport": "false" })).toBe(
          "ExplicitlyDenied",
        );
      });
    });
  });

  it("creates the account's GitHub OIDC provider for the STS audience only, unless another bootstrap did", () => {
    expect(Object.values(resources("aws_iam_openid_connect_provider"))).toEqual([
      expect.objectContaining({
        url: "https://token.actions.githubusercontent.com",
        client_id_list: ["sts.amazonaws.com"],
      }),
    ]);
    const existing = synthBootstrap({ ...env, ci: { ...env.ci, oidcProvider: "existing" } });
    expect(existing.resource?.aws_iam_openid_connect_provider).toBeUndefined();
  });

  it("makes the release roles: a model publisher and an image pusher, one GitHub environment each", async () => {
    const models = byName("aws_iam_role", names.modelPublisherRole);
    const images = byName("aws_iam_role", names.imagePublisherRole);
    expect(await assume(models, names.modelPublisherRole, `repo:${REPOSITORY}:environment:dev-model-release`)).toBe(
      "Allowed",
    );
    expect(await assume(models, names.modelPublisherRole, `repo:${REPOSITORY}:environment:dev`)).toBe(
      "ImplicitlyDenied",
    );
    expect(await assume(models, names.modelPublisherRole, `repo:${REPOSITORY}:pull_request`)).toBe("ImplicitlyDenied");
    expect(await assume(images, names.imagePublisherRole, `repo:${REPOSITORY}:environment:dev-image-release`)).toBe(
      "Allowed",
    );
    expect(await assume(images, names.imagePublisherRole, `repo:${REPOSITORY}:environment:dev-model-release`)).toBe(
      "ImplicitlyDenied",
    );
    // The model publisher's rights come from the model store's bucket and key policies alone; the image pusher's own
    // policy holds only the registry login, which no resource policy can grant.
    const attached = (role: { address: string }) =>
      Object.values(resources("aws_iam_role_policy")).filter((p) => p.role === `\${${role.address}.id}`);
    expect(attached(models)).toEqual([]);
    expect(inlinePolicyOf(images).Statement).toEqual([
      expect.objectContaining({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] }),
    ]);
  });

  it("keeps the replica's region inside the deploy boundary of an environment that replicates", () => {
    const prod = loadEnvironment("prod");
    const json = synthBootstrap(prod);
    const boundaryPolicy = Object.values(json.resource?.aws_iam_policy ?? {})[0];
    const fence = JSON.parse(String(boundaryPolicy.policy)).Statement.find(
      (s: { Sid: string }) => s.Sid === "DenyOtherRegions",
    );
    expect(fence.Condition.StringNotEquals["aws:RequestedRegion"]).toEqual([
      prod.region,
      prod.modelStore.replicaRegion,
    ]);
  });

  it("gives both roles the deploy boundary", () => {
    for (const role of [plan, apply]) {
      expect(role.config.permissions_boundary).toBe(
        `arn:aws:iam::\${data.aws_caller_identity.AwsContext_Caller_144E9D26.account_id}:policy/${names.boundary}`,
      );
    }
    // A managed policy holds at most 6,144 characters.
    expect(String(byName("aws_iam_policy", names.boundary).config.policy).length).toBeLessThan(6144);
  });

  describe("who may assume the roles, simulated", () => {
    it("lets the repository's pull requests plan, and nothing else", async () => {
      expect(await assume(plan, names.planRole, `repo:${REPOSITORY}:pull_request`)).toBe("Allowed");
      expect(await assume(plan, names.planRole, `repo:${REPOSITORY}:environment:dev`)).toBe("ImplicitlyDenied");
      expect(await assume(plan, names.planRole, `repo:${REPOSITORY}:ref:refs/heads/main`)).toBe("ImplicitlyDenied");
      expect(await assume(plan, names.planRole, "repo:someone-else/fork:pull_request")).toBe("ImplicitlyDenied");
      expect(await assume(plan, names.planRole, `repo:${REPOSITORY}:pull_request`, "other-audience")).toBe(
        "ImplicitlyDenied",
      );
    });

    it("never lets a pull request apply: only jobs in the environment's GitHub environment may", async () => {
      expect(await assume(apply, names.applyRole, `repo:${REPOSITORY}:pull_request`)).toBe("ImplicitlyDenied");
      expect(await assume(apply, names.applyRole, `repo:${REPOSITORY}:ref:refs/heads/main`)).toBe("ImplicitlyDenied");
      expect(await assume(apply, names.applyRole, `repo:${REPOSITORY}:environment:prod`)).toBe("ImplicitlyDenied");
      expect(await assume(apply, names.applyRole, `repo:${REPOSITORY}:environment:dev`)).toBe("Allowed");
    });
  });

  describe("what the plan role may do, simulated with its boundary", () => {
    const planPolicy = inlinePolicyOf(plan);
    const asPlan = (action: string, resource: string, context: Record<string, string> = {}) =>
      decide({
        principal: SESSION(names.planRole),
        action,
        resource,
        resourceAccount: ACCOUNT,
        identityPolicies: [planPolicy],
        permissionsBoundary: boundary,
        context: { "aws:RequestedRegion": REGION, ...context },
      } satisfies AccessRequest);

    it("reads configuration and state", async () => {
      expect(await asPlan("ec2:DescribeVpcs", "*")).toBe("Allowed");
      expect(await asPlan("iam:GetRole", ROLE("smd-dev-vpc-flow-logs"))).toBe("Allowed");
      // Planning the bootstrap stack reads the pipeline's own roles and provider, which the boundary guards.
      expect(await asPlan("iam:GetRole", ROLE(names.applyRole))).toBe("Allowed");
      expect(await asPlan("iam:GetOpenIDConnectProvider", PROVIDER)).toBe("Allowed");
      expect(await asPlan("s3:GetObject", STATE_OBJECT("platform-dev.tfstate"))).toBe("Allowed");
      expect(await asPlan("s3:ListBucket", STATE, { "s3:prefix": `${env.state.keyPrefix}/` })).toBe("Allowed");
    });

    it("writes nothing but lock files", async () => {
      expect(await asPlan("s3:PutObject", STATE_OBJECT("platform-dev.tfstate.tflock"))).toBe("Allowed");
      expect(await asPlan("s3:DeleteObject", STATE_OBJECT("platform-dev.tfstate.tflock"))).toBe("Allowed");
      const writes: [string, string][] = [
        ["s3:PutObject", STATE_OBJECT("platform-dev.tfstate")],
        ["s3:DeleteObject", STATE_OBJECT("platform-dev.tfstate")],
        ["s3:PutBucketPolicy", STATE],
        ["ec2:RunInstances", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`],
        ["ec2:CreateVpc", `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/*`],
        ["iam:CreateRole", ROLE("smd-dev-anything")],
        ["iam:PutRolePolicy", ROLE(names.planRole)],
        ["kms:ScheduleKeyDeletion", `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        ["eks:CreateCluster", "*"],
      ];
      for (const [action, resource] of writes) {
        expect([action, await asPlan(action, resource)]).not.toEqual([action, "Allowed"]);
      }
    });

    it("reads no data: not model objects, secrets, parameters, logs or images", async () => {
      const reads: [string, string][] = [
        ["s3:GetObject", "arn:aws:s3:::smd-dev-models/models/fraud/model.safetensors"],
        ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:api-key-AbCdEf`],
        ["ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/db-password`],
        ["logs:GetLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/smd-dev/vpc-flow-logs:log-stream:x`],
        ["ecr:GetDownloadUrlForLayer", `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/models`],
        ["ec2:GetPasswordData", `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`],
      ];
      for (const [action, resource] of reads) {
        expect([action, await asPlan(action, resource)]).not.toEqual([action, "Allowed"]);
      }
    });
  });

  describe("what the apply role may do, simulated with its boundary", () => {
    const applyPolicy = inlinePolicyOf(apply);
    const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/${names.boundary}`;
    const asApply = (action: string, resource: string, context: Record<string, string> = {}) =>
      decide({
        principal: SESSION(names.applyRole),
        action,
        resource,
        resourceAccount: ACCOUNT,
        identityPolicies: [applyPolicy],
        permissionsBoundary: boundary,
        context: { "aws:RequestedRegion": REGION, ...context },
      });

    it("manages the blueprint's resources in its region", async () => {
      expect(await asApply("ec2:CreateVpc", `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/*`)).toBe("Allowed");
      expect(await asApply("eks:CreateCluster", "*")).toBe("Allowed");
      expect(await asApply("s3:PutObject", STATE_OBJECT("platform-dev.tfstate"))).toBe("Allowed");
    });

    it("creates a role only with the deploy boundary attached", async () => {
      const role = ROLE("smd-dev-vpc-flow-logs");
      expect(await asApply("iam:CreateRole", role, { "iam:PermissionsBoundary": BOUNDARY })).toBe("Allowed");
      expect(await asApply("iam:CreateRole", role)).toBe("ExplicitlyDenied");
      expect(
        await asApply("iam:CreateRole", role, {
          "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess",
        }),
      ).toBe("ExplicitlyDenied");
      expect(await asApply("iam:PutRolePolicy", role)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:DeleteRolePermissionsBoundary", role)).toBe("ExplicitlyDenied");
    });

    it("cannot escalate: no role outside its prefix, no change to its boundary or the pipeline's roles, no keys", async () => {
      expect(await asApply("iam:CreateRole", ROLE("admin"), { "iam:PermissionsBoundary": BOUNDARY })).toBe(
        "ImplicitlyDenied",
      );
      expect(await asApply("iam:PassRole", ROLE("OrganizationAccountAccessRole"))).toBe("ImplicitlyDenied");
      // AWS Config's recorder is given its service-linked role, which trusts AWS Config alone.
      expect(
        await asApply("iam:PassRole", ROLE("aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"), {
          "iam:PassedToService": "config.amazonaws.com",
        }),
      ).toBe("Allowed");
      expect(await asApply("iam:CreatePolicyVersion", BOUNDARY)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:UpdateAssumeRolePolicy", ROLE(names.applyRole))).toBe("ExplicitlyDenied");
      expect(await asApply("iam:AttachRolePolicy", ROLE(names.planRole), { "iam:PermissionsBoundary": BOUNDARY })).toBe(
        "ExplicitlyDenied",
      );
      expect(await asApply("iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/ci`)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:DeleteOpenIDConnectProvider", PROVIDER)).toBe("ExplicitlyDenied");
      // Nor can it make itself a publisher: the release roles are the pipeline's own.
      expect(await asApply("iam:UpdateAssumeRolePolicy", ROLE(names.modelPublisherRole))).toBe("ExplicitlyDenied");
      expect(
        await asApply("iam:PutRolePolicy", ROLE(names.imagePublisherRole), { "iam:PermissionsBoundary": BOUNDARY }),
      ).toBe("ExplicitlyDenied");
      expect(await asApply("iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/ci`)).toBe("ExplicitlyDenied");
    });

    it("writes state but cannot reconfigure the state bucket or erase its history", async () => {
      expect(await asApply("s3:PutObject", STATE_OBJECT("platform-dev.tfstate.tflock"))).toBe("Allowed");
      expect(await asApply("s3:PutBucketPolicy", STATE)).toBe("ExplicitlyDenied");
      expect(await asApply("s3:PutBucketVersioning", STATE)).toBe("ExplicitlyDenied");
      expect(await asApply("s3:DeleteBucket", STATE)).toBe("ExplicitlyDenied");
      expect(await asApply("s3:DeleteObjectVersion", STATE_OBJECT("platform-dev.tfstate"))).toBe("ExplicitlyDenied");
      expect(await asApply("s3:PutBucketPolicy", "arn:aws:s3:::smd-dev-models")).toBe("Allowed");
    });

    it("cannot re-trust or delete the service roles the model store exempts, though it manages their policies", async () => {
      const svc = ROLE(`${names.serviceRolePrefix}model-replication`);
      const withBoundary = { "iam:PermissionsBoundary": BOUNDARY };
      expect(await asApply("iam:UpdateAssumeRolePolicy", svc)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:DeleteRole", svc)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:PutRolePolicy", svc, withBoundary)).toBe("Allowed");
      expect(await asApply("iam:CreateRole", svc, withBoundary)).toBe("Allowed");
      expect(await asApply("iam:UpdateAssumeRolePolicy", ROLE("smd-dev-vpc-flow-logs"))).toBe("Allowed");
    });

    it("forwards global events from us-east-1, where it may manage EventBridge rules and nothing else", async () => {
      const east = { "aws:RequestedRegion": "us-east-1" };
      expect(await asApply("events:PutRule", `arn:aws:events:us-east-1:${ACCOUNT}:rule/x`, east)).toBe("Allowed");
      expect(await asApply("ec2:CreateVpc", `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/*`, east)).toBe("ExplicitlyDenied");
      expect(
        await asApply("events:PutRule", `arn:aws:events:ap-south-1:${ACCOUNT}:rule/x`, {
          "aws:RequestedRegion": "ap-south-1",
        }),
      ).toBe("ExplicitlyDenied");
    });

    it("cannot leave its region, except for IAM and STS, which are global", async () => {
      const elsewhere = { "aws:RequestedRegion": "us-east-1" };
      expect(await asApply("ec2:CreateVpc", `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/*`, elsewhere)).toBe(
        "ExplicitlyDenied",
      );
      expect(await asApply("s3:CreateBucket", "arn:aws:s3:::smd-dev-exfiltration", elsewhere)).toBe("ExplicitlyDenied");
      expect(await asApply("iam:GetRole", ROLE("smd-dev-vpc-flow-logs"), elsewhere)).toBe("Allowed");
    });

    it("would be stopped by the boundary even with a broader policy of its own", async () => {
      const broad: PolicyJson = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "iam:CreateRole", Resource: "*" }],
      };
      const decision = await decide({
        principal: SESSION(names.applyRole),
        action: "iam:CreateRole",
        resource: ROLE("admin"),
        resourceAccount: ACCOUNT,
        identityPolicies: [broad],
        permissionsBoundary: boundary,
        context: { "aws:RequestedRegion": REGION, "iam:PermissionsBoundary": BOUNDARY },
      });
      expect(decision).toBe("ImplicitlyDenied");
      // And without the boundary, the same policy would allow it: the check can fail.
      const unbounded = await decide({
        principal: SESSION(names.applyRole),
        action: "iam:CreateRole",
        resource: ROLE("admin"),
        resourceAccount: ACCOUNT,
        identityPolicies: [broad],
        context: { "aws:RequestedRegion": REGION, "iam:PermissionsBoundary": BOUNDARY },
      });
      expect(unbounded).toBe("Allowed");
    });
  });

  it.each<[string, Partial<EnvironmentConfig>, string]>([
    [
      "a state key given by ARN",
      {
        state: { ...env.state, kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
      },
      'bootstrap (environment "dev"): state.kmsKeyId = "arn:aws:kms:',
    ],
    [
      "a state bucket in another region",
      { state: { ...env.state, region: "eu-central-1" } },
      'state.region = "eu-central-1" is not allowed; allowed: the environment\'s region (eu-west-1)',
    ],
  ])("refuses %s", (_case, change, message) => {
    expect(() => synthBootstrap({ ...ENVIRONMENTS.dev, ...change })).toThrow(message);
  });
});
