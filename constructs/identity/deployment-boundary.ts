import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkPattern, checkRegion, ValidationError } from "../core/validation";
import { checkBucketName } from "../storage/secure-bucket";
import { PolicyDocument, type PolicyStatement, suppressWildcardActions } from "./policy-document";

/**
 * The AWS services whose resources the blueprint's stacks create (network, keys, storage, registry, cluster, edge,
 * detection, alerts). The deploy role may manage them in full; IAM is listed separately, action by action.
 */
export const BLUEPRINT_SERVICES: readonly string[] = [
  "access-analyzer",
  "acm",
  "apigateway",
  "autoscaling",
  "cloudtrail",
  "cloudwatch",
  "cognito-idp",
  "config",
  "ec2",
  "ecr",
  "eks",
  "elasticloadbalancing",
  "events",
  "guardduty",
  "kms",
  "logs",
  "s3",
  "securityhub",
  "sns",
  "wafv2",
  "xray",
];

/** Services AWS serves from one region whatever the caller's: a region fence must let them through. */
const GLOBAL_SERVICE_ACTIONS = ["iam:*", "sts:*", "route53:*", "support:*", "health:*"];

/** IAM actions that create and manage the blueprint's own roles, policies and instance profiles. */
const IAM_MANAGE_ACTIONS = [
  "iam:AddRoleToInstanceProfile",
  "iam:AttachRolePolicy",
  "iam:CreateInstanceProfile",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:CreateRole",
  "iam:DeleteInstanceProfile",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:DeleteRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:TagInstanceProfile",
  "iam:TagPolicy",
  "iam:TagRole",
  "iam:UntagInstanceProfile",
  "iam:UntagPolicy",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
];

/** IAM actions that attach or change a role's permissions; the boundary must travel with every one of them. */
const BOUNDARY_BOUND_ACTIONS = [
  "iam:AttachRolePolicy",
  "iam:CreateRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
];

/** Ways to make a long-lived credential: the pipeline never may. */
const LONG_LIVED_CREDENTIAL_ACTIONS = [
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreateServiceSpecificCredential",
  "iam:CreateUser",
  "iam:UpdateAccessKey",
  "iam:UpdateLoginProfile",
  "iam:UploadSSHPublicKey",
];

/** Properties of a {@link DeploymentBoundary}. */
export interface DeploymentBoundaryProps {
  /** Name of the managed policy, e.g. `smd-dev-ci-boundary`. */
  readonly policyName: string;
  /**
   * Prefix of every IAM role, policy and instance profile the pipeline may manage, e.g. `smd-dev`: it manages
   * `<prefix>-*` and nothing else in IAM.
   */
  readonly namePrefix: string;
  /** Prefix of the roles the pipeline itself runs as, e.g. `smd-dev-ci-`: nobody under the boundary may touch them. */
  readonly protectedRoleNamePrefix: string;
  /**
   * Prefix of the service roles that resource policies exempt by name (the model store's replication and malware-scan
   * roles), e.g. `smd-dev-svc-`: the pipeline creates them and manages their permissions, but may not change whom
   * they trust nor delete them (a role re-created under the same name would inherit the exemptions). Default: none.
   */
  readonly protectedServiceRoleNamePrefix?: string;
  /**
   * S3 buckets whose configuration and history the pipeline may not change, e.g. the Terraform state bucket: it may
   * read them and put and delete current objects (state and lock files), nothing else. Default: none.
   */
  readonly protectedBucketNames?: readonly string[];
  /** Regions the pipeline may act in (the environment's and its state bucket's). */
  readonly regions: readonly string[];
  /**
   * Further regions where the pipeline may manage EventBridge rules only: us-east-1, where the events of global
   * services (IAM, console sign-in) arrive and are forwarded home from. Default: none.
   */
  readonly eventRegions?: readonly string[];
  /** Services it may manage in full. Default: {@link BLUEPRINT_SERVICES}. */
  readonly services?: readonly string[];
}

/**
 * The permissions boundary of the deploy pipeline, and of every role the pipeline creates. It allows the blueprint's
 * services in the allowed regions and the blueprint's own IAM roles, and denies, whatever any policy says:
 * - creating a role, or changing a role's permissions, unless the role carries this same boundary (so no role the
 *   pipeline makes can do more than the pipeline: no IAM escalation), and removing a boundary;
 * - changing this boundary policy, and changing the pipeline's own roles (reading them is allowed, for plans);
 * - changing the configuration or deleting the history of protected buckets (the Terraform state);
 * - any long-lived credential (IAM users, access keys, passwords);
 * - acting outside the allowed regions (global services excepted).
 */
export class DeploymentBoundary extends Construct {
  /** The `aws_iam_policy`. */
  public readonly resource: IamPolicy;
  /** The policy's ARN, as a literal (roles name it before it exists in the plan). */
  public readonly arn: string;
  /**
   * The boundary's statements, which are also the deploy role's permissions; the boundary adds only what the roles the
   * pipeline creates need at run time (`RunPodIdentity`).
   */
  public readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: DeploymentBoundaryProps) {
    super(scope, id);
    const where = this.node.path;
    checkPattern(where, "policyName", props.policyName, /^[\w+=,.@-]{1,128}$/, "an IAM policy name");
    checkPattern(
      where,
      "namePrefix",
      props.namePrefix,
      /^[a-z][a-z0-9-]{1,30}$/,
      "lowercase letters, digits and hyphens",
    );
    if (!props.protectedRoleNamePrefix.startsWith(props.namePrefix)) {
      throw new ValidationError(
        where,
        "protectedRoleNamePrefix",
        props.protectedRoleNamePrefix,
        `allowed: a prefix that starts with namePrefix (${props.namePrefix})`,
      );
    }
    if (
      props.protectedServiceRoleNamePrefix !== undefined &&
      !props.protectedServiceRoleNamePrefix.startsWith(props.namePrefix)
    ) {
      throw new ValidationError(
        where,
        "protectedServiceRoleNamePrefix",
        props.protectedServiceRoleNamePrefix,
        `allowed: a prefix that starts with namePrefix (${props.namePrefix})`,
      );
    }
    if (props.regions.length === 0) {
      throw new ValidationError(where, "regions", props.regions, "allowed: at least one region");
    }
    for (const region of props.regions)
      checkPattern(where, "regions", region, /^[a-z]{2}(-[a-z]+)+-\d$/, "region names");
    const eventRegions = (props.eventRegions ?? []).filter((r) => !props.regions.includes(r));
    for (const region of eventRegions) checkRegion(where, "eventRegions", region);
    const services = props.services ?? BLUEPRINT_SERVICES;
    for (const service of services) {
      checkPattern(where, "services", service, /^[a-z0-9-]+$/, "service prefixes such as ec2");
      if (service === "iam" || service === "sts") {
        throw new ValidationError(
          where,
          "services",
          service,
          "allowed: services other than iam and sts, which the boundary lists action by action",
        );
      }
    }

    const protectedBuckets = props.protectedBucketNames ?? [];
    for (const bucket of protectedBuckets) checkBucketName(where, "protectedBucketNames", bucket);
    const context = AwsContext.of(this);
    const iam = (kind: string, name: string) => context.iamArn(`${kind}/${name}`);
    this.arn = iam("policy", props.policyName);
    const owned = ["role", "policy", "instance-profile"].map((kind) => iam(kind, `${props.namePrefix}-*`));
    this.statements = [
      {
        sid: "ManageBlueprintServices",
        actions: services.map((s) => `${s}:*`),
        resources: ["*"],
        wildcardActionReason: "Terraform creates, changes and deletes every resource type of these services",
        wildcardResourceReason:
          "the resources do not exist before Terraform creates them; the region fence and the denials below bound them",
      },
      {
        sid: "ReadIam",
        actions: ["iam:Get*", "iam:List*", "sts:GetCallerIdentity"],
        resources: ["*"],
        wildcardActionReason: "Terraform reads back every IAM attribute it manages",
        wildcardResourceReason: "reads of IAM and the caller identity take no narrower resource",
      },
      { sid: "ManageBlueprintIam", actions: IAM_MANAGE_ACTIONS, resources: owned },
      {
        // Services that take a service-linked role as a parameter (AWS Config's recorder) need it passed; such a role
        // trusts its own service alone, so passing it elsewhere grants nothing.
        sid: "UseServiceLinkedRoles",
        actions: ["iam:CreateServiceLinkedRole", "iam:PassRole"],
        resources: [iam("role", "aws-service-role/*")],
      },
      {
        sid: "ReadPublicParameters",
        actions: ["ssm:GetParameter", "ssm:GetParameters"],
        resources: props.regions.map((r) => `arn:${context.partition}:ssm:${r}::parameter/aws/service/*`),
      },
      {
        sid: "DenyRolesWithoutThisBoundary",
        effect: "Deny",
        actions: BOUNDARY_BOUND_ACTIONS,
        resources: ["*"],
        wildcardResourceReason: "the denial covers every role in the account",
        conditions: { StringNotEquals: { "iam:PermissionsBoundary": this.arn } },
      },
      {
        sid: "DenyBoundaryRemoval",
        effect: "Deny",
        actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
        resources: ["*"],
        wildcardResourceReason: "the denial covers every role and user in the account",
      },
      {
        sid: "DenyBoundaryChanges",
        effect: "Deny",
        actions: [
          "iam:CreatePolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
        ],
        resources: [this.arn],
      },
      {
        sid: "DenyPipelineRoleChanges",
        effect: "Deny",
        actions: [],
        notActions: ["iam:Get*", "iam:List*"],
        resources: [
          iam("role", `${props.protectedRoleNamePrefix}*`),
          iam("oidc-provider", "token.actions.githubusercontent.com"),
        ],
      },
      ...(props.protectedServiceRoleNamePrefix === undefined
        ? []
        : [
            {
              sid: "DenyServiceRoleTrustChanges",
              effect: "Deny" as const,
              actions: ["iam:UpdateAssumeRolePolicy", "iam:DeleteRole"],
              resources: [iam("role", `${props.protectedServiceRoleNamePrefix}*`)],
            },
          ]),
      ...(protectedBuckets.length === 0
        ? []
        : [
            {
              sid: "DenyProtectedBucketChanges",
              effect: "Deny" as const,
              actions: [],
              notActions: ["s3:Get*", "s3:List*", "s3:PutObject", "s3:DeleteObject"],
              resources: protectedBuckets.flatMap((b) => [
                `arn:${context.partition}:s3:::${b}`,
                `arn:${context.partition}:s3:::${b}/*`,
              ]),
            },
          ]),
      {
        sid: "DenyLongLivedCredentials",
        effect: "Deny",
        actions: LONG_LIVED_CREDENTIAL_ACTIONS,
        resources: ["*"],
        wildcardResourceReason: "no IAM user or key may exist anywhere in the account",
      },
      {
        sid: "DenyOtherRegions",
        effect: "Deny",
        notActions: eventRegions.length > 0 ? [...GLOBAL_SERVICE_ACTIONS, "events:*"] : GLOBAL_SERVICE_ACTIONS,
        actions: [],
        resources: ["*"],
        wildcardResourceReason: "the fence covers every resource outside the allowed regions",
        conditions: { StringNotEquals: { "aws:RequestedRegion": [...new Set(props.regions)] } },
      },
      ...(eventRegions.length === 0
        ? []
        : [
            {
              sid: "DenyEventsInOtherRegions",
              effect: "Deny" as const,
              actions: ["events:*"],
              resources: ["*"],
              wildcardResourceReason: "the fence covers every EventBridge resource outside the allowed regions",
              conditions: {
                StringNotEquals: { "aws:RequestedRegion": [...new Set([...props.regions, ...eventRegions])] },
              },
            },
          ]),
    ];
    // What the roles the pipeline creates need when they run, and the pipeline itself does not: nodes exchange a pod's
    // token for its workload role's credentials (EKS Pod Identity). Not in the deploy role's own permissions.
    const runtime: PolicyStatement = {
      sid: "RunPodIdentity",
      actions: ["eks-auth:AssumeRoleForPodIdentity"],
      resources: props.regions.map((r) => `arn:${context.partition}:eks:${r}:${context.accountId}:cluster/*`),
    };
    const document = new PolicyDocument(`${where} policy`, [runtime, ...this.statements]);
    this.resource = new IamPolicy(this, "Policy", {
      name: props.policyName,
      description: "Permissions boundary of the deploy pipeline and of every role it creates",
      policy: document.toJson(),
    });
    suppressWildcardActions(this.resource, document);
  }
}
