import type { IConstruct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { type PrincipalLike, principalArn } from "../core/principal";
import { checkIntegerInRange, checkPattern, checkRegion, ValidationError } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";

/** What every customer-managed key of the blueprint shares: alias, administrators, viewers, deletion window. */
export interface CustomerKeyProps {
  /** Alias name without the `alias/` prefix, e.g. `acme-prod-logs`: letters, digits, `/`, `_`, `-`; not `aws/...`. */
  readonly alias: string;
  /** What the key protects, shown in the console. Default: `Managed by the secure model-deployment blueprint: <alias>`. */
  readonly description?: string;
  /**
   * IAM principals (role or user ARNs) that administer the key: policy, rotation, aliases, tags, deletion. They get
   * no cryptographic use. Default: none besides the deployer (see `includeDeployerAsAdministrator`).
   */
  readonly administrators?: readonly PrincipalLike[];
  /**
   * Adds the principal that runs Terraform (the issuer role of its session) to the administrators, so that the
   * pipeline can keep managing the key and AWS's lockout safety check accepts the policy. Default: true.
   */
  readonly includeDeployerAsAdministrator?: boolean;
  /**
   * Lets the account's root user, and only the root user itself (`aws:PrincipalType` = `Account`), administer the
   * key: the recovery path if every named administrator is deleted. It does not delegate to IAM policies: no IAM
   * identity gains access through it. Default: true.
   */
  readonly allowRootUserRecovery?: boolean;
  /**
   * IAM principals that may read the key's configuration (description, policy, rotation, tags) and nothing else:
   * what `terraform plan` needs to refresh the key, for a plan role. Default: none.
   */
  readonly viewers?: readonly PrincipalLike[];
  /** Days AWS waits before deleting a key scheduled for deletion: 7 to 30. Default: 30. */
  readonly deletionWindowInDays?: number;
  /**
   * Region the key lives in, when it is not the stack's (a replica's key): AWS provider 6's per-resource `region`.
   * Default: the stack's region.
   */
  readonly region?: string;
}

/** Actions that administer a key and never use it; listed one by one (no `kms:*`, no `kms:Describe*`). */
export const KMS_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** Actions that read a key's configuration and never use or change it. */
export const KMS_VIEW_ACTIONS: readonly string[] = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
];

/** In a key policy, `"Resource": "*"` means "this key": AWS offers no narrower resource there. */
export const KEY_POLICY_RESOURCE_REASON =
  'in a key policy "*" means this key only; AWS accepts no other resource there';

/**
 * The principal and condition of a key-policy statement that delegates one use of the key to the IAM policies of this
 * account's roles whose names start with a prefix: the account as principal (so a role's own policy must still allow
 * the use) and `aws:PrincipalArn` like `arn:<partition>:iam::<account>:role/<prefix>*`. For roles other stacks make
 * (app teams'), which a key policy cannot name before they exist. The prefix must be 3 to 40 characters of a role name
 * and end in `-`, so that it marks a family of roles, not every role.
 */
export function delegationToRoles(
  scope: IConstruct,
  property: string,
  roleNamePrefix: string,
): { readonly principal: string; readonly condition: Record<string, Record<string, string>> } {
  checkPattern(
    scope.node.path,
    property,
    roleNamePrefix,
    /^[\w+=,.@-]{2,39}-$/,
    'a role name prefix of 3 to 40 characters ending in "-", such as "acme-dev-app-"',
  );
  const context = AwsContext.of(scope);
  return {
    principal: context.rootArn,
    condition: { ArnLike: { "aws:PrincipalArn": context.iamArn(`role/${roleNamePrefix}*`) } },
  };
}

/** The checked, common settings of a key, and its policy with the administration statements. */
export interface CustomerKeyBase {
  readonly policy: PolicyDocument;
  readonly aliasName: string;
  readonly description: string;
  readonly deletionWindowInDays: number;
  /** The key's region: the `region` prop, else the stack's. */
  readonly region: string;
}

/**
 * Validates the shared props of a key and starts its key policy: administration for the named administrators (and
 * the deployer), the root user's recovery path, and read-only viewers. No statement delegates to IAM.
 */
export function customerKeyBase(scope: IConstruct, props: CustomerKeyProps): CustomerKeyBase {
  const where = scope.node.path;
  checkPattern(
    where,
    "alias",
    props.alias,
    /^(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
    'letters, digits, "/", "_" and "-", 1 to 250 characters, not starting with "aws/"',
  );
  const deletionWindowInDays = props.deletionWindowInDays ?? 30;
  checkIntegerInRange(where, "deletionWindowInDays", deletionWindowInDays, 7, 30);
  if (props.region !== undefined) {
    checkRegion(where, "region", props.region);
  }
  const includeDeployer = props.includeDeployerAsAdministrator ?? true;
  const named = (props.administrators ?? []).map(principalArn);
  if (!includeDeployer && named.length === 0) {
    throw new ValidationError(
      where,
      "administrators",
      [],
      "allowed: at least one administrator ARN when includeDeployerAsAdministrator is false (a key with no administrator cannot be managed again)",
    );
  }
  const viewers = (props.viewers ?? []).map(principalArn);
  for (const [property, arns] of [
    ["administrators", named],
    ["viewers", viewers],
  ] as const) {
    for (const arn of arns) {
      checkPattern(where, property, arn, /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, "IAM role or user ARNs");
    }
  }

  const context = AwsContext.of(scope);
  const administrators = includeDeployer ? [context.deployerArn, ...named] : named;
  const policy = new PolicyDocument(`${where} key policy`, [
    {
      sid: "KeyAdministration",
      principals: { aws: administrators },
      actions: KMS_ADMIN_ACTIONS,
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
    },
  ]);
  if (props.allowRootUserRecovery ?? true) {
    policy.addStatement({
      sid: "RootUserRecovery",
      principals: { aws: [context.rootArn] },
      actions: KMS_ADMIN_ACTIONS,
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: { StringEquals: { "aws:PrincipalType": "Account" } },
    });
  }
  if (viewers.length > 0) {
    policy.addStatement({
      sid: "KeyConfigurationViewers",
      principals: { aws: viewers },
      actions: KMS_VIEW_ACTIONS,
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
    });
  }
  return {
    policy,
    aliasName: `alias/${props.alias}`,
    description: props.description ?? `Managed by the secure model-deployment blueprint: ${props.alias}`,
    deletionWindowInDays,
    region: props.region ?? context.region,
  };
}
