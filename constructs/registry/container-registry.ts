import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Lazy } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { createServiceRole } from "../identity/service-role";
import { AwsContext } from "../core/aws-context";
import { type PrincipalLike, principalArn } from "../core/principal";
import {
  checkIntegerInRange,
  checkLowercaseName,
  checkPattern,
  checkRoleArn,
  checkRoleName,
  ValidationError,
} from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";

/**
 * Upstream registries ECR's pull-through cache serves without credentials, by the short name the blueprint uses for
 * them. The others (Docker Hub, GitHub, GitLab, Azure, Chainguard) need a Secrets Manager secret; `nvcr.io` is not
 * supported at all, so NVIDIA's images are copied into a repository of the registry instead.
 */
export const PULL_THROUGH_UPSTREAMS = {
  "ecr-public": "public.ecr.aws",
  k8s: "registry.k8s.io",
  quay: "quay.io",
} as const;

/** An upstream registry of the pull-through cache. */
export type PullThroughUpstream = keyof typeof PULL_THROUGH_UPSTREAMS;

/** What pulling an image takes. */
export const ECR_PULL_ACTIONS: readonly string[] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/** What pushing an image takes (besides `ecr:GetAuthorizationToken`, which only an identity policy can grant). */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
];
/** Deleting images or making tags mutable: nobody's but the break-glass role's; expiry is the lifecycle policy's job. */
export const ECR_PROTECTED_ACTIONS: readonly string[] = ["ecr:BatchDeleteImage", "ecr:PutImageTagMutability"];
/** What a pull through the cache takes the first time an image is pulled (ECR creates the repository then). */
export const ECR_PULL_THROUGH_ACTIONS: readonly string[] = ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"];

/** Repository names: lowercase path segments of letters, digits, `.`, `_`, `-`. */
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * The URI prefix of a registry namespace's repositories in the scope's account and region,
 * `<account>.dkr.ecr.<region>.amazonaws.com/<namespace>`: what images of the blueprint's registry start with.
 */
export function repositoryUriPrefix(scope: IConstruct, namespace: string): string {
  const context = AwsContext.of(scope);
  return `${context.accountId}.dkr.ecr.${context.region}.amazonaws.com/${namespace}`;
}

/** Properties of a {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  /** Namespace of every repository (`<namespace>/<name>`), its key alias (`<namespace>-ecr`) and its roles: lowercase letters, digits and hyphens. */
  readonly namespace: string;
  /** Repository names inside the namespace, e.g. `inference` or `nvidia/k8s-device-plugin`. At least one. */
  readonly repositories: readonly string[];
  /** The principals that push images (the CI image pipeline's role): they alone may push. At least one. */
  readonly pushers: readonly PrincipalLike[];
  /** Upstream registries to cache through ECR (`ecr-public`, `k8s`, `quay`). Default: all three. */
  readonly pullThroughCache?: readonly PullThroughUpstream[];
  /** Days an untagged image is kept after its push: 1 to 365. Default: 14. */
  readonly untaggedImageExpirationDays?: number;
  /** Images each repository keeps, newest first; older ones expire: 10 to 10000. Default: 500. */
  readonly maxImageCount?: number;
  /** The role that may delete images and change tag mutability. Default: nobody (images only expire by the lifecycle policy). */
  readonly breakGlassRoleArn?: string;
  /** Name of the role ECR creates cached repositories with. Default: `<namespace>-ecr-cache-creation`. */
  readonly cacheCreationRoleName?: string;
  /** Administrators, viewers and deletion window of the registry's key. Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
}

/**
 * The private container registry: ECR repositories with immutable tags, scan on push, KMS encryption under the
 * registry's own key, a lifecycle policy, `prevent_destroy`, and a repository policy that lets only the pullers
 * ({@link ContainerRegistry.grantPull}: the node role) pull and only the pushers push, and nobody delete an image. Pull-through cache
 * rules mirror the public registries the blueprint's own images come from, so nodes without internet egress can
 * pull them; the repositories they create follow a creation template with the same key, policy and lifecycle.
 */
export class ContainerRegistry extends Construct {
  /** The registry's key. */
  public readonly key: KmsKey;
  /** The repositories, by name inside the namespace. */
  public readonly repositories: Readonly<Record<string, EcrRepository>>;
  /** The repository-name prefix of each pull-through cache, by upstream. */
  public readonly cachePrefixes: Readonly<Partial<Record<PullThroughUpstream, string>>>;

  private readonly namespace: string;
  private readonly pullers = new Set<string>();
  private readonly pushers = new Set<string>();
  private readonly breakGlassRoleArn?: string;
  private readonly cacheCreationRoleName: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "namespace", props.namespace, 40);
    if (props.repositories.length === 0) {
      throw new ValidationError(where, "repositories", [], "allowed: at least one repository name");
    }
    for (const name of props.repositories) {
      checkPattern(
        where,
        "repositories",
        name,
        REPOSITORY,
        "lowercase path segments of letters, digits, . _ - such as inference or nvidia/k8s-device-plugin",
      );
      if (name === "cache" || name.startsWith("cache/")) {
        throw new ValidationError(
          where,
          "repositories",
          name,
          "allowed: names outside cache/, which the pull-through cache owns",
        );
      }
    }
    if (new Set(props.repositories).size !== props.repositories.length) {
      throw new ValidationError(where, "repositories", props.repositories, "allowed: each name once");
    }
    if (props.pushers.length === 0) {
      throw new ValidationError(
        where,
        "pushers",
        [],
        "allowed: at least one pusher role: a registry nobody may push to holds no image",
      );
    }
    for (const pusher of props.pushers) checkRoleArn(where, "pushers", principalArn(pusher));
    if (props.breakGlassRoleArn !== undefined) {
      checkRoleArn(where, "breakGlassRoleArn", props.breakGlassRoleArn);
    }
    const upstreams = props.pullThroughCache ?? (Object.keys(PULL_THROUGH_UPSTREAMS) as PullThroughUpstream[]);
    for (const upstream of upstreams) {
      if (!Object.hasOwn(PULL_THROUGH_UPSTREAMS, upstream)) {
        throw new ValidationError(
          where,
          "pullThroughCache",
          upstream,
          `allowed: ${Object.keys(PULL_THROUGH_UPSTREAMS).join(", ")}`,
        );
      }
    }
    const untaggedDays = props.untaggedImageExpirationDays ?? 14;
    checkIntegerInRange(where, "untaggedImageExpirationDays", untaggedDays, 1, 365);
    const maxImageCount = props.maxImageCount ?? 500;
    checkIntegerInRange(where, "maxImageCount", maxImageCount, 10, 10000);

    this.namespace = props.namespace;
    this.cacheCreationRoleName = props.cacheCreationRoleName ?? `${props.namespace}-ecr-cache-creation`;
    checkRoleName(where, "cacheCreationRoleName", this.cacheCreationRoleName);
    this.breakGlassRoleArn = props.breakGlassRoleArn;
    for (const pusher of props.pushers) this.pushers.add(principalArn(pusher));
    const context = AwsContext.of(this);
    this.key = new KmsKey(this, "Key", {
      ...props.keys,
      alias: `${props.namespace}-ecr`,
      description: `Encrypts the container images of ${props.namespace}`,
    });
    // ECR creates two grants on the key for each repository, with the permissions of whoever creates it.
    this.key.grantServiceGrants(context.deployerArn, "ecr");

    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images ${untaggedDays} days after their push`,
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: untaggedDays,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `Keep the newest ${maxImageCount} images`,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: maxImageCount },
          action: { type: "expire" },
        },
      ],
    });
    const repositories: Record<string, EcrRepository> = {};
    for (const name of props.repositories) {
      // Named by the repository, not its position: reordering the list must not replace a repository.
      const id = name.replaceAll("/", "+");
      const repository = new EcrRepository(this, `Repository-${id}`, {
        name: `${props.namespace}/${name}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
        forceDelete: false,
        tags: { Name: `${props.namespace}/${name}` },
        lifecycle: { preventDestroy: true },
      });
      new EcrLifecyclePolicy(this, `Lifecycle-${id}`, { repository: repository.name, policy: lifecyclePolicy });
      new EcrRepositoryPolicy(this, `Policy-${id}`, {
        repository: repository.name,
        policy: Lazy.stringValue({ produce: () => this.repositoryPolicy(`${where} ${name} policy`, true) }),
      });
      repositories[name] = repository;
    }
    this.repositories = repositories;

    const cachePrefixes: Partial<Record<PullThroughUpstream, string>> = {};
    if (upstreams.length > 0) {
      const creationRole = this.repositoryCreationRole(context);
      for (const upstream of upstreams) {
        const prefix = `${props.namespace}/cache/${upstream}`;
        new EcrPullThroughCacheRule(this, `Cache-${upstream}`, {
          ecrRepositoryPrefix: prefix,
          upstreamRegistryUrl: PULL_THROUGH_UPSTREAMS[upstream],
        });
        cachePrefixes[upstream] = prefix;
      }
      new EcrRepositoryCreationTemplate(this, "CacheTemplate", {
        prefix: `${props.namespace}/cache`,
        description: "Repositories the pull-through cache creates",
        appliedFor: ["PULL_THROUGH_CACHE"],
        customRoleArn: creationRole.arn,
        // The cache keeps a repository in step with its upstream only while tags may move; workloads pin digests.
        imageTagMutability: "MUTABLE",
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
        lifecyclePolicy,
        repositoryPolicy: Lazy.stringValue({ produce: () => this.repositoryPolicy(`${where} cache policy`, false) }),
        resourceTags: { ManagedBy: "ecr-pull-through-cache" },
      });
    }
    this.cachePrefixes = cachePrefixes;
  }

  /** The URI prefix of the registry's repositories, `<account>.dkr.ecr.<region>.amazonaws.com/<namespace>`. */
  public get repositoryUriPrefix(): string {
    return repositoryUriPrefix(this, this.namespace);
  }

  /** The ARNs of every repository of the namespace, cached ones included (for a puller's identity policy). */
  public get repositoryArnPattern(): string {
    const context = AwsContext.of(this);
    return `arn:${context.partition}:ecr:${context.region}:${context.accountId}:repository/${this.namespace}/*`;
  }

  /**
   * Lets a principal (the cluster's node role) pull images. A first pull through the cache also needs
   * {@link ECR_PULL_THROUGH_ACTIONS} on {@link ContainerRegistry.repositoryArnPattern} in the principal's own policy (repository
   * policies do not apply to a repository that does not exist yet).
   */
  public grantPull(principal: PrincipalLike): void {
    this.pullers.add(principalArn(principal));
  }

  /** Lets a principal push images (it also needs `ecr:GetAuthorizationToken` in its own policy). */
  public grantPush(principal: PrincipalLike): void {
    this.pushers.add(principalArn(principal));
  }

  /** A repository policy: Allows for the pullers and pushers, and Denies for everyone else. */
  private repositoryPolicy(where: string, pushable: boolean): string {
    const pullers = [...this.pullers];
    const pushers = pushable ? [...this.pushers] : [];
    const policy = new PolicyDocument(where, [], { impliedResource: true });
    if (pullers.length > 0) {
      policy.addStatement({ sid: "Pull", principals: { aws: pullers }, actions: ECR_PULL_ACTIONS, resources: [] });
    }
    if (pushers.length > 0) {
      policy.addStatement({ sid: "Push", principals: { aws: pushers }, actions: ECR_PUSH_ACTIONS, resources: [] });
    }
    const denyUnless = (sid: string, actions: readonly string[], allowed: string[]) =>
      policy.addStatement({
        sid,
        effect: "Deny",
        anyPrincipal: true,
        actions,
        resources: [],
        ...(allowed.length > 0 ? { conditions: { ArnNotEquals: { "aws:PrincipalArn": allowed } } } : {}),
      });
    denyUnless("DenyPullByOthers", ECR_PULL_ACTIONS, pullers);
    denyUnless(
      "DenyPushByOthers",
      pushable ? ECR_PUSH_ACTIONS.filter((a) => a !== "ecr:BatchCheckLayerAvailability") : ["ecr:PutImage"],
      pushers,
    );
    denyUnless("DenyImageDeletion", ECR_PROTECTED_ACTIONS, this.breakGlassRoleArn ? [this.breakGlassRoleArn] : []);
    return policy.toJson();
  }

  /** The role ECR creates cached repositories with: a KMS-encrypted repository needs one. */
  private repositoryCreationRole(context: AwsContext): IamRole {
    const name = this.cacheCreationRoleName;
    const cached = `arn:${context.partition}:ecr:${context.region}:${context.accountId}:repository/${this.namespace}/cache/*`;
    const { role } = createServiceRole(this, {
      roleId: "CacheCreationRole",
      policyId: "CacheCreationPolicy",
      name,
      description: `Creates the pull-through cache repositories of ${this.namespace}`,
      service: "ecr.amazonaws.com",
      trustSid: "EcrRepositoryCreation",
      policyName: "repository-creation",
      statements: [
        { sid: "CreateCachedRepositories", actions: ["ecr:CreateRepository", "ecr:TagResource"], resources: [cached] },
      ],
    });
    this.key.grantServiceGrants(context.iamArn(`role/${name}`), "ecr");
    return role;
  }
}
