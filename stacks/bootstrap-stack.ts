import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AwsContext } from "../constructs/core/aws-context";
import { GLOBAL_EVENTS_REGION } from "../constructs/detection/alert-rules";
import { ValidationError } from "../constructs/core/validation";
import { DeploymentBoundary } from "../constructs/identity/deployment-boundary";
import {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_ISSUER,
  GithubActionsRole,
} from "../constructs/identity/github-actions-role";
import { KmsKey } from "../constructs/keys/kms-key";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { ciNames, releaseEnvironments } from "./config";

/**
 * What the plan role may read to refresh the blueprint's resources: configuration, never data. Each entry is a read
 * prefix of a service the blueprint uses; reads that return data (`s3:GetObject`, `secretsmanager:GetSecretValue`,
 * `ssm:GetParameter`, `logs:GetLogEvents`, `ecr:GetDownloadUrlForLayer`, `ec2:GetPasswordData`) are left out.
 */
export const PLAN_READ_ACTIONS: readonly string[] = [
  "access-analyzer:Get*",
  "access-analyzer:List*",
  "acm:Describe*",
  "acm:List*",
  "apigateway:GET",
  "autoscaling:Describe*",
  "cloudtrail:Describe*",
  "cloudtrail:GetEventSelectors",
  "cloudtrail:GetTrail*",
  "cloudtrail:ListTags",
  "cloudwatch:Describe*",
  "cloudwatch:ListTagsForResource",
  "config:Describe*",
  "ec2:Describe*",
  "ecr:Describe*",
  "ecr:GetLifecyclePolicy",
  "ecr:GetRegistryPolicy",
  "ecr:GetRegistryScanningConfiguration",
  "ecr:GetRepositoryPolicy",
  "ecr:ListTagsForResource",
  "eks:Describe*",
  "eks:List*",
  "elasticloadbalancing:Describe*",
  "events:Describe*",
  "events:List*",
  "guardduty:Get*",
  "guardduty:List*",
  "iam:Get*",
  "iam:List*",
  "kms:Describe*",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:List*",
  "logs:Describe*",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "s3:GetAccelerateConfiguration",
  "s3:GetAccountPublicAccessBlock",
  "s3:GetBucket*",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListAllMyBuckets",
  "securityhub:Describe*",
  "securityhub:Get*",
  "securityhub:List*",
  "sns:GetTopicAttributes",
  "sns:GetSubscriptionAttributes",
  "sns:List*",
  "sts:GetCallerIdentity",
  "wafv2:Get*",
  "wafv2:List*",
];

/**
 * Once per environment account: what the deploy pipeline stands on. Applied by an administrator, never by the
 * pipeline (whose boundary forbids touching its own roles):
 * - the Terraform state bucket (SSE-KMS under its own key, versioned, TLS 1.2+ only, public access blocked, access
 *   logged to a log bucket, `prevent_destroy`; S3-native lock files, so no lock table), readable and writable only
 *   by the pipeline's roles and the administrators;
 * - the account's GitHub OIDC provider (unless another environment's bootstrap made it);
 * - the deploy boundary ({@link DeploymentBoundary});
 * - a **plan role** for the repository's pull requests: reads configuration, reads state, writes lock files only;
 * - an **apply role** for the repository's GitHub environment of this name, with the boundary's rights;
 * - the **release roles**, a model publisher (`<env>-model-release`) and an image publisher (`<env>-image-release`),
 *   whose rights the platform stack's resource policies give; under the pipeline's protected prefix, so that the
 *   apply role can neither change nor assume them.
 */
export class BootstrapStack extends BlueprintStack {
  public readonly stateBucket: SecureBucket;
  public readonly stateKey: KmsKey;
  public readonly planRole: GithubActionsRole;
  public readonly applyRole: GithubActionsRole;
  /** Publishes models; its rights come from the model store's bucket and key policies (platform stack). */
  public readonly modelPublisherRole: GithubActionsRole;
  /** Pushes container images; its push rights come from the registry's repository policies (platform stack). */
  public readonly imagePublisherRole: GithubActionsRole;
  public readonly boundary: DeploymentBoundary;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, { ...props, deployBoundary: false });
    const env = props.environment;
    const where = `${this.node.path} (environment "${env.name}")`;
    if (!env.state.kmsKeyId.startsWith("alias/")) {
      throw new ValidationError(
        where,
        "state.kmsKeyId",
        env.state.kmsKeyId,
        "allowed: alias/<name>, so that the bootstrap stack can create the key under that alias",
      );
    }
    if (env.state.region !== env.region) {
      throw new ValidationError(
        where,
        "state.region",
        env.state.region,
        `allowed: the environment's region (${env.region}), where the bootstrap stack creates the state bucket`,
      );
    }
    const names = ciNames(env);
    const context = AwsContext.of(this);

    this.stateKey = new KmsKey(this, "StateKey", {
      alias: env.state.kmsKeyId.slice("alias/".length),
      description: `Terraform state of the ${env.name} environment`,
      administrators: env.keyAdministratorArns,
      viewers: [this.planRoleArn],
      deletionWindowInDays: env.keyDeletionWindowInDays,
    });
    const accessLogs = SecureBucket.accessLogsFor(this, "AccessLogs", env.state.bucket);
    this.stateBucket = new SecureBucket(this, "StateBucket", {
      bucketName: env.state.bucket,
      encryptionKey: this.stateKey,
      accessLogs: { bucket: accessLogs, prefix: "state/" },
      noncurrentVersionExpirationDays: 90,
    });

    if (env.ci.oidcProvider === "create") {
      new IamOpenidConnectProvider(this, "GithubOidcProvider", {
        url: `https://${GITHUB_OIDC_ISSUER}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
        tags: { Name: "github-actions" },
      });
    }
    this.boundary = new DeploymentBoundary(this, "DeployBoundary", {
      policyName: names.boundary,
      namePrefix: env.namePrefix,
      protectedRoleNamePrefix: names.protectedRolePrefix,
      protectedServiceRoleNamePrefix: names.serviceRolePrefix,
      eventRegions: [GLOBAL_EVENTS_REGION],
      protectedBucketNames: [this.stateBucket.bucketName, accessLogs.bucketName],
      regions: [env.region, env.state.region, ...(env.modelStore.replicaRegion ? [env.modelStore.replicaRegion] : [])],
    });

    const stateObjects = this.stateBucket.arnForObjects(`${env.state.keyPrefix}/`);
    this.planRole = new GithubActionsRole(this, "PlanRole", {
      roleName: names.planRole,
      description: `Plans the ${env.name} environment for pull requests of ${env.ci.repository}: reads, never writes`,
      repository: env.ci.repository,
      subject: { pullRequest: true },
      permissionsBoundaryArn: this.boundary.arn,
      statements: [
        {
          sid: "ReadConfiguration",
          actions: PLAN_READ_ACTIONS,
          resources: ["*"],
          wildcardActionReason:
            "terraform plan refreshes every attribute of every resource type; these are read prefixes only",
          wildcardResourceReason: "a plan reads every resource of the stacks, which no narrower ARN lists",
        },
        { sid: "ReadState", actions: ["s3:GetObject"], resources: [stateObjects] },
        {
          sid: "ListState",
          actions: ["s3:ListBucket"],
          resources: [this.stateBucket.arn],
          conditions: { StringLike: { "s3:prefix": `${env.state.keyPrefix}/*` } },
        },
        {
          sid: "WriteLockFiles",
          actions: ["s3:PutObject", "s3:DeleteObject"],
          resources: [`${stateObjects}.tflock`],
        },
      ],
    });
    this.applyRole = new GithubActionsRole(this, "ApplyRole", {
      roleName: names.applyRole,
      description: `Applies the ${env.name} environment from the ${env.name} GitHub environment of ${env.ci.repository}`,
      repository: env.ci.repository,
      subject: { environment: env.name },
      permissionsBoundaryArn: this.boundary.arn,
      statements: this.boundary.statements,
    });

    // The release roles are the pipeline's own (the protected prefix): the apply role can neither change nor assume
    // them, so a compromised deploy cannot write a model or push an image.
    const release = releaseEnvironments(env);
    this.modelPublisherRole = new GithubActionsRole(this, "ModelPublisherRole", {
      roleName: names.modelPublisherRole,
      description: `Publishes and signs the ${env.name} environment's models from the ${release.models} GitHub environment`,
      repository: env.ci.repository,
      subject: { environment: release.models },
      permissionsBoundaryArn: this.boundary.arn,
    });
    this.imagePublisherRole = new GithubActionsRole(this, "ImagePublisherRole", {
      roleName: names.imagePublisherRole,
      description: `Pushes the ${env.name} environment's container images from the ${release.images} GitHub environment`,
      repository: env.ci.repository,
      subject: { environment: release.images },
      permissionsBoundaryArn: this.boundary.arn,
      statements: [
        {
          sid: "RegistryLogin",
          actions: ["ecr:GetAuthorizationToken"],
          resources: ["*"],
          wildcardResourceReason:
            "ecr:GetAuthorizationToken takes no resource; pushes are granted by the repository policies",
        },
      ],
    });

    // State is readable and writable by the pipeline and the administrators alone; the key is usable only via S3.
    const stateUsers = [
      this.planRole.arn,
      this.applyRole.arn,
      context.deployerArn,
      ...(env.keyAdministratorArns ?? []),
    ];
    for (const user of [this.planRole, this.applyRole, context.deployerArn]) {
      this.stateKey.grantEncryptDecrypt(user, {
        viaService: "s3",
        encryptionContext: { "aws:s3:arn": this.stateBucket.arn },
      });
    }
    this.stateBucket.addToResourcePolicy({
      sid: "DenyStateToOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
      resources: [this.stateBucket.arnForObjects()],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": stateUsers } },
    });

    const outputs: Record<string, { value: string; description: string }> = {
      state_bucket: { value: this.stateBucket.bucketName, description: "Terraform state bucket" },
      state_key_arn: { value: this.stateKey.arn, description: "KMS key of the Terraform state" },
      plan_role_arn: { value: this.planRole.arn, description: "Role pull requests plan with" },
      apply_role_arn: {
        value: this.applyRole.arn,
        description: `Role the ${env.name} GitHub environment applies with`,
      },
      deploy_boundary_arn: { value: this.boundary.arn, description: "Permissions boundary of the pipeline's roles" },
      model_publisher_role_arn: {
        value: this.modelPublisherRole.arn,
        description: "Role that publishes and signs models",
      },
      image_publisher_role_arn: {
        value: this.imagePublisherRole.arn,
        description: "Role that pushes container images",
      },
    };
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
