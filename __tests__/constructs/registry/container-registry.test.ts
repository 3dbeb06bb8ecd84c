import {
  ContainerRegistry,
  type ContainerRegistryProps,
  ECR_PULL_ACTIONS,
} from "../../../constructs/registry/container-registry";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { guardedSynth } from "../../support/guardrails";
import { resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const PUSHER = ROLE("ci-image-publisher");
const NODE = ROLE("eks-node");
const PROPS: ContainerRegistryProps = {
  namespace: "smd-test",
  repositories: ["inference", "nvidia/k8s-device-plugin"],
  pushers: [PUSHER],
  breakGlassRoleArn: ROLE("break-glass"),
};

function build(props: Partial<ContainerRegistryProps> = {}, configure?: (r: ContainerRegistry) => void) {
  const stack = testStack();
  const registry = new ContainerRegistry(stack, "Registry", { ...PROPS, ...props });
  configure?.(registry);
  const json = synthJson(stack);
  return { registry, json, of: (type: string) => Object.values(resourcesOf(json, type)) };
}

describe("ContainerRegistry", () => {
  const { of, registry } = build({}, (r) => r.grantPull(NODE));

  it("makes each repository immutable, scanned on push, KMS-encrypted under its own key and protected", () => {
    expect(of("aws_ecr_repository").map((r) => r.name)).toEqual([
      "smd-test/inference",
      "smd-test/nvidia/k8s-device-plugin",
    ]);
    for (const repository of of("aws_ecr_repository")) {
      expect(repository).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: expect.stringMatching(/Registry_Key_/) }],
        force_delete: false,
        lifecycle: { prevent_destroy: true },
      });
    }
    expect(of("aws_kms_alias").map((a) => a.name)).toEqual(["alias/smd-test-ecr"]);
  });

  it("expires untagged images and keeps a bounded number of images", () => {
    const [lifecycle] = of("aws_ecr_lifecycle_policy");
    expect(JSON.parse(String(lifecycle.policy)).rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: "untagged", countNumber: 14, countUnit: "days" }),
      }),
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 500 }),
      }),
    ]);
  });

  it("lets only the pullers pull, only the pushers push, and nobody but break-glass delete an image", () => {
    const [policy] = of("aws_ecr_repository_policy");
    const statements = statementsOf(policy.policy);
    for (const s of statements) expect(s).not.toHaveProperty("Resource");
    expect(statements).toEqual([
      expect.objectContaining({ Sid: "Pull", Effect: "Allow", Principal: { AWS: [NODE] }, Action: ECR_PULL_ACTIONS }),
      expect.objectContaining({ Sid: "Push", Effect: "Allow", Principal: { AWS: [PUSHER] } }),
      expect.objectContaining({
        Sid: "DenyPullByOthers",
        Effect: "Deny",
        Principal: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [NODE] } },
      }),
      expect.objectContaining({
        Sid: "DenyPushByOthers",
        Effect: "Deny",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [PUSHER] } },
      }),
      expect.objectContaining({
        Sid: "DenyImageDeletion",
        Action: ["ecr:BatchDeleteImage", "ecr:PutImageTagMutability"],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [ROLE("break-glass")] } },
      }),
    ]);
  });

  it("denies every pull while no puller is granted", () => {
    const [policy] = build().of("aws_ecr_repository_policy");
    const deny = statementsOf(policy.policy).find((s) => s.Sid === "DenyPullByOthers");
    expect(deny).toEqual({ Sid: "DenyPullByOthers", Effect: "Deny", Principal: "*", Action: ECR_PULL_ACTIONS });
  });

  it("mirrors ECR Public, registry.k8s.io and Quay through the pull-through cache, into KMS-encrypted repositories", () => {
    expect(
      of("aws_ecr_pull_through_cache_rule").map((r) => [r.ecr_repository_prefix, r.upstream_registry_url]),
    ).toEqual([
      ["smd-test/cache/ecr-public", "public.ecr.aws"],
      ["smd-test/cache/k8s", "registry.k8s.io"],
      ["smd-test/cache/quay", "quay.io"],
    ]);
    expect(registry.cachePrefixes.k8s).toBe("smd-test/cache/k8s");
    const [template] = of("aws_ecr_repository_creation_template");
    expect(template).toMatchObject({
      prefix: "smd-test/cache",
      applied_for: ["PULL_THROUGH_CACHE"],
      image_tag_mutability: "MUTABLE",
      encryption_configuration: [{ encryption_type: "KMS", kms_key: expect.stringMatching(/Registry_Key_/) }],
      custom_role_arn: expect.stringMatching(/aws_iam_role\.Registry_CacheCreationRole_/),
    });
    const cachePolicy = statementsOf(template.repository_policy);
    expect(cachePolicy.map((s) => s.Sid)).toEqual([
      "Pull",
      "DenyPullByOthers",
      "DenyPushByOthers",
      "DenyImageDeletion",
    ]);
  });

  it("creates cached repositories through a role only ECR of this account may assume, limited to the cache", () => {
    const [role] = of("aws_iam_role");
    expect(statementsOf(role.assume_role_policy)[0]).toMatchObject({
      Principal: { Service: ["ecr.amazonaws.com"] },
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/account_id/) } },
    });
    const [policy] = of("aws_iam_role_policy");
    expect(statementsOf(policy.policy)).toEqual([
      expect.objectContaining({
        Action: ["ecr:CreateRepository", "ecr:TagResource"],
        Resource: [expect.stringMatching(/:repository\/smd-test\/cache\/\*$/)],
      }),
    ]);
    const key = statementsOf(of("aws_kms_key")[0].policy);
    const grants = key.filter((s) => s.Action.includes("kms:CreateGrant"));
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(grant.Condition).toEqual({
        Bool: { "kms:GrantIsForAWSResource": true },
        StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" },
      });
    }
  });

  it("can leave the cache out", () => {
    const { of: without } = build({ pullThroughCache: [] });
    expect(without("aws_ecr_pull_through_cache_rule")).toEqual([]);
    expect(without("aws_ecr_repository_creation_template")).toEqual([]);
    expect(without("aws_iam_role")).toEqual([]);
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((stack) => {
      PermissionsBoundary.applyTo(stack, "arn:aws:iam::111122223333:policy/test-boundary");
      new ContainerRegistry(stack, "Registry", PROPS).grantPull(NODE);
    });
    expect(result.open.map((f) => f.message)).toEqual([]);
  });

  it.each<[string, Partial<ContainerRegistryProps>, RegExp]>([
    ["no repository", { repositories: [] }, /repositories = \[\] .*at least one/],
    ["an uppercase repository", { repositories: ["Inference"] }, /repositories = "Inference"/],
    [
      "a repository in the cache's namespace",
      { repositories: ["cache/x"] },
      /repositories = "cache\/x" .*outside cache\//,
    ],
    ["a repository twice", { repositories: ["a", "a"] }, /each name once/],
    ["no pusher", { pushers: [] }, /pushers = \[\] .*at least one pusher/],
    ["a pusher that is not a role", { pushers: ["ci"] }, /pushers = "ci" .*IAM role ARNs/],
    [
      "an upstream ECR does not cache without credentials",
      { pullThroughCache: ["docker-hub" as "quay"] },
      /pullThroughCache = "docker-hub" .*ecr-public, k8s, quay/,
    ],
    ["untagged images kept 0 days", { untaggedImageExpirationDays: 0 }, /untaggedImageExpirationDays = 0/],
    ["too few images kept", { maxImageCount: 5 }, /maxImageCount = 5 .*10 to 10000/],
  ])("rejects %s", (_case, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
