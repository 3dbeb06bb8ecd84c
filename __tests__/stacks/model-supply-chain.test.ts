import { matchesPattern } from "../../policies/event-pattern";
import { decide, materializePolicy, type PolicyJson } from "../../policies/iam-simulation";
import { baselineNames, ciNames, loadEnvironment, replicaBucketName } from "../../stacks/config";
import { roleArnOf, synthBlueprint } from "../support/blueprint";
import type { TerraformJson } from "../support/synth";

/**
 * The model supply chain as the default environment deploys it: the release roles of `bootstrap`, the alert topic of
 * `baseline`, and the model store, signing key, registry and tamper alert of `platform-dev`, simulated together.
 */

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SESSION = (name: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/github-actions`;

const env = loadEnvironment("dev");
const names = ciNames(env);
const synthesized = synthBlueprint("dev");
const stacks: Record<string, TerraformJson> = {
  bootstrap: synthesized.bootstrap,
  baseline: synthesized.baseline,
  platform: synthesized["platform-dev"],
};
const of = (stack: string, type: string) => Object.entries(stacks[stack].resource?.[type] ?? {});
const STORE = `arn:aws:s3:::${env.modelStore.bucketName}`;
const MODEL = `${STORE}/${env.modelStore.publishPrefix}fraud/v3/model.safetensors`;
const REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${env.namePrefix}/inference`;

function valueFor(expression: string): string | undefined {
  if (expression.endsWith(".account_id")) return ACCOUNT;
  if (expression.endsWith(".issuer_arn")) return ROLE(names.applyRole);
  if (/^aws_kms_key\.ModelStore_Key_\w+\.arn$/.test(expression)) return `arn:aws:kms:${REGION}:${ACCOUNT}:key/store`;
  if (/^aws_vpc_endpoint\.Network_Endpoints_S3_\w+\.id$/.test(expression)) return "vpce-0123456789abcdef0";
  return roleArnOf(stacks.platform, ACCOUNT, expression);
}
const policy = (value: unknown) => materializePolicy(value, valueFor);
const bucketPolicy = policy(
  of("platform", "aws_s3_bucket_policy").find(([, p]) => String(p.policy).includes("DenyReadsOutsideVpcEndpoint"))?.[1]
    .policy,
);
const repositoryPolicy = policy(of("platform", "aws_ecr_repository_policy")[0][1].policy);
const boundary = policy(of("bootstrap", "aws_iam_policy")[0][1].policy);
const applyPolicy = policy(
  of("bootstrap", "aws_iam_role_policy").find(([, p]) => String(p.policy).includes("ManageBlueprintServices"))?.[1]
    .policy,
);
const imagePublisherPolicy = policy(
  of("bootstrap", "aws_iam_role_policy").find(([, p]) => String(p.policy).includes("RegistryLogin"))?.[1].policy,
);

/** A request from a pipeline role, with the deploy boundary it carries and the region it asks for. */
const asRole = (
  role: string,
  action: string,
  resource: string,
  resourcePolicy: PolicyJson,
  identity: PolicyJson[] = [],
  context: Record<string, string> = {},
) =>
  decide({
    principal: SESSION(role),
    action,
    resource,
    resourceAccount: ACCOUNT,
    resourcePolicy,
    identityPolicies: identity,
    permissionsBoundary: boundary,
    context: { "aws:RequestedRegion": REGION, ...context },
  });

describe("the default environment's model supply chain", () => {
  it("synthesizes the model store, its signing key and the registry in platform-dev, and the alert topic in baseline", () => {
    const buckets = of("platform", "aws_s3_bucket").map(([, b]) => b.bucket);
    expect(buckets).toEqual(
      expect.arrayContaining([env.modelStore.bucketName, `${env.modelStore.bucketName}-access-logs`]),
    );
    expect(of("platform", "aws_kms_key").map(([, k]) => k.key_usage)).toContain("SIGN_VERIFY");
    expect(of("platform", "aws_ecr_repository").map(([, r]) => r.name)).toEqual(
      env.registry.repositories.map((r) => `${env.namePrefix}/${r}`),
    );
    expect(of("baseline", "aws_sns_topic").map(([, t]) => t.name)).toEqual([baselineNames(env).alertTopic]);
  });

  it("sends tamper alerts to the baseline's topic", () => {
    const [[, target]] = of("platform", "aws_cloudwatch_event_target");
    expect(String(target.arn)).toMatch(new RegExp(`:sns:${REGION}:.+:${baselineNames(env).alertTopic}$`));
    const [[, rule]] = of("platform", "aws_cloudwatch_event_rule");
    // The publishers' ARNs name the account through an expression; the account stands in for it.
    const pattern = JSON.parse(String(rule.event_pattern).replace(/\$\{[^}]+\}/g, ACCOUNT)) as object;
    const event = (role: string) => ({
      source: "aws.s3",
      "detail-type": "AWS API Call via CloudTrail",
      detail: {
        eventSource: "s3.amazonaws.com",
        eventName: "PutObject",
        requestParameters: { bucketName: env.modelStore.bucketName },
        userIdentity: { type: "AssumedRole", sessionContext: { sessionIssuer: { arn: ROLE(role) } } },
      },
    });
    expect(matchesPattern(pattern, event(names.applyRole))).toBe(true);
    expect(matchesPattern(pattern, event(names.modelPublisherRole))).toBe(false);
  });

  describe("the model publisher (bootstrap's release role, under the deploy boundary)", () => {
    it("publishes models from CI, under the store's prefix only", async () => {
      expect(await asRole(names.modelPublisherRole, "s3:PutObject", MODEL, bucketPolicy)).toBe("Allowed");
      expect(await asRole(names.modelPublisherRole, "s3:PutObject", `${STORE}/state/x`, bucketPolicy)).toBe(
        "ImplicitlyDenied",
      );
      expect(await asRole(names.modelPublisherRole, "s3:DeleteObjectVersion", MODEL, bucketPolicy)).toBe(
        "ExplicitlyDenied",
      );
    });
  });

  describe("the deploy pipeline's apply role, with every right of the boundary", () => {
    it("cannot write, delete, unlock or read a model, nor change the store's policy", async () => {
      const apply = (action: string, resource: string) =>
        asRole(names.applyRole, action, resource, bucketPolicy, [applyPolicy]);
      expect(await apply("s3:PutObject", MODEL)).toBe("ExplicitlyDenied");
      expect(await apply("s3:DeleteObjectVersion", MODEL)).toBe("ExplicitlyDenied");
      expect(await apply("s3:BypassGovernanceRetention", MODEL)).toBe("ExplicitlyDenied");
      expect(await apply("s3:GetObject", MODEL)).toBe("ExplicitlyDenied");
      expect(await apply("s3:PutBucketPolicy", STORE)).toBe("ExplicitlyDenied");
      // It still manages the store's other configuration, such as its tags.
      expect(await apply("s3:PutBucketTagging", STORE)).toBe("Allowed");
    });

    it("cannot push or pull an image, nor delete one", async () => {
      const apply = (action: string) => asRole(names.applyRole, action, REPOSITORY, repositoryPolicy, [applyPolicy]);
      expect(await apply("ecr:PutImage")).toBe("ExplicitlyDenied");
      expect(await apply("ecr:BatchGetImage")).toBe("ExplicitlyDenied");
      expect(await apply("ecr:BatchDeleteImage")).toBe("ExplicitlyDenied");
    });
  });

  describe("the image publisher", () => {
    it("pushes images, but cannot pull (only the nodes will) or delete them", async () => {
      const push = (action: string) =>
        asRole(names.imagePublisherRole, action, REPOSITORY, repositoryPolicy, [imagePublisherPolicy]);
      expect(await push("ecr:PutImage")).toBe("Allowed");
      expect(await push("ecr:CompleteLayerUpload")).toBe("Allowed");
      expect(await push("ecr:BatchGetImage")).toBe("ExplicitlyDenied");
      expect(await push("ecr:BatchDeleteImage")).toBe("ExplicitlyDenied");
      expect(
        await asRole(names.imagePublisherRole, "ecr:GetAuthorizationToken", "*", repositoryPolicy, [
          imagePublisherPolicy,
        ]),
      ).toBe("Allowed");
    });
  });

  it("replicates prod's models to a locked, encrypted replica in its second region", () => {
    const prod = loadEnvironment("prod");
    const platform = synthBlueprint("prod")["platform-prod"];
    const buckets = Object.values(platform.resource?.aws_s3_bucket ?? {});
    expect(buckets.find((b) => b.bucket === replicaBucketName(prod.modelStore))).toMatchObject({
      region: prod.modelStore.replicaRegion,
      object_lock_enabled: true,
    });
    expect(Object.values(platform.resource?.aws_s3_bucket_replication_configuration ?? {})).toHaveLength(1);
  });
});
