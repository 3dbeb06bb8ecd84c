import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { type PrincipalLike, principalArn } from "../core/principal";
import { checkIntegerInRange, checkPattern, ValidationError } from "../core/validation";
import { PolicyDocument, type PolicyStatement } from "../identity/policy-document";

/** Properties of a {@link KmsKey}. */
export interface KmsKeyProps {
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
  /** IAM principals that may encrypt and decrypt with the key. More can be added with the `grant*` methods. Default: none. */
  readonly users?: readonly PrincipalLike[];
  /** Days AWS waits before deleting a key scheduled for deletion: 7 to 30. Default: 30. */
  readonly deletionWindowInDays?: number;
  /**
   * Days between automatic rotations of the key material: 90 to 2560. Default: 90, the shortest period KMS offers
   * and the closest to the source design's "rotate secrets every 60–90 days".
   */
  readonly rotationPeriodInDays?: number;
}

/** Narrows a grant to requests that come through one AWS service, with an encryption context. */
export interface KmsGrantConditions {
  /** Service short name (`s3`, `logs`, `ec2`, ...): the grant holds only for requests via `<service>.<region>.amazonaws.com`. Default: any path. */
  readonly viaService?: string;
  /** Encryption-context pairs the request must carry exactly (`kms:EncryptionContext:<key>`). Default: none. */
  readonly encryptionContext?: Readonly<Record<string, string>>;
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

const ENCRYPT_ACTIONS = [
  "kms:Encrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:DescribeKey",
];
const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];

/** In a key policy, `"Resource": "*"` means "this key": AWS offers no narrower resource there. */
const KEY_POLICY_RESOURCE_REASON = 'in a key policy "*" means this key only; AWS accepts no other resource there';

/**
 * A customer-managed, symmetric KMS key with an alias, automatic rotation, a 30-day deletion window and
 * `prevent_destroy`.
 *
 * Its key policy names every principal explicitly and contains no wildcard principal. It does not carry the usual
 * "Enable IAM User Permissions" statement (which hands `kms:*` to every IAM identity an IAM policy allows): all
 * access to the key is visible in the key policy, and use is added with `grantEncrypt`, `grantDecrypt`,
 * `grantEncryptDecrypt` or `grantCloudWatchLogs`.
 *
 * **Why the account cannot be locked out of the key**:
 * 1. the administrator list can never be empty: construction fails unless at least one administrator is named or
 *    the deployer is included (the default);
 * 2. the deployer (the role that runs Terraform) is an administrator by default, and `bypass_policy_lockout_safety_check`
 *    is always `false`, so AWS itself rejects a policy that would not let the caller change it again;
 * 3. the account's root user keeps administration (never use) of the key, restricted by `aws:PrincipalType` =
 *    `Account` to the root user alone, so deleting every administrator role still leaves a recovery path.
 */
export class KmsKey extends Construct {
  /** The underlying `aws_kms_key`. */
  public readonly resource: KmsKeyResource;
  /** The `aws_kms_alias`. */
  public readonly aliasResource: KmsAlias;
  /** The full alias name, `alias/<alias>`. */
  public readonly aliasName: string;

  private readonly policy: PolicyDocument;
  private grantCount = 0;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const where = this.node.path;
    checkPattern(
      where,
      "alias",
      props.alias,
      /^(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
      'letters, digits, "/", "_" and "-", 1 to 250 characters, not starting with "aws/"',
    );
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    checkIntegerInRange(where, "deletionWindowInDays", deletionWindowInDays, 7, 30);
    const rotationPeriodInDays = props.rotationPeriodInDays ?? 90;
    checkIntegerInRange(where, "rotationPeriodInDays", rotationPeriodInDays, 90, 2560);
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

    const context = AwsContext.of(this);
    const administrators = includeDeployer ? [context.deployerArn, ...named] : named;
    this.policy = new PolicyDocument(`${where} key policy`, [
      {
        sid: "KeyAdministration",
        principals: { aws: administrators },
        actions: KMS_ADMIN_ACTIONS,
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      },
    ]);
    if (props.allowRootUserRecovery ?? true) {
      this.policy.addStatement({
        sid: "RootUserRecovery",
        principals: { aws: [context.rootArn] },
        actions: KMS_ADMIN_ACTIONS,
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
        conditions: { StringEquals: { "aws:PrincipalType": "Account" } },
      });
    }

    if (viewers.length > 0) {
      this.policy.addStatement({
        sid: "KeyConfigurationViewers",
        principals: { aws: viewers },
        actions: KMS_VIEW_ACTIONS,
        resources: ["*"],
        wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      });
    }

    this.aliasName = `alias/${props.alias}`;
    this.resource = new KmsKeyResource(this, "Key", {
      description: props.description ?? `Managed by the secure model-deployment blueprint: ${props.alias}`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      isEnabled: true,
      enableKeyRotation: true,
      rotationPeriodInDays,
      deletionWindowInDays,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy: Lazy.stringValue({ produce: () => this.policy.toJson() }),
      tags: { Name: props.alias },
      lifecycle: { preventDestroy: true },
    });
    this.aliasResource = new KmsAlias(this, "Alias", {
      name: this.aliasName,
      targetKeyId: this.resource.keyId,
    });

    for (const user of props.users ?? []) this.grantEncryptDecrypt(user);
  }

  /** The key's ARN. */
  public get arn(): string {
    return this.resource.arn;
  }

  /** The key's ID. */
  public get keyId(): string {
    return this.resource.keyId;
  }

  /** Lets a principal encrypt and generate data keys (for writers), optionally only via a service and context. */
  public grantEncrypt(principal: PrincipalLike, conditions: KmsGrantConditions = {}): void {
    this.addGrant("Encrypt", principal, ENCRYPT_ACTIONS, conditions);
  }

  /** Lets a principal decrypt (for readers), optionally only via a service and context. */
  public grantDecrypt(principal: PrincipalLike, conditions: KmsGrantConditions = {}): void {
    this.addGrant("Decrypt", principal, DECRYPT_ACTIONS, conditions);
  }

  /** Lets a principal encrypt and decrypt, optionally only via a service and context. */
  public grantEncryptDecrypt(principal: PrincipalLike, conditions: KmsGrantConditions = {}): void {
    this.addGrant("EncryptDecrypt", principal, [...ENCRYPT_ACTIONS, "kms:Decrypt"], conditions);
  }

  /**
   * Lets CloudWatch Logs in this account and region encrypt log groups whose name starts with `logGroupNamePrefix`
   * with this key (the encryption context AWS sets names the log group).
   * @param logGroupNamePrefix log group name prefix, e.g. `/aws/eks/acme-prod`; default: every log group
   */
  public grantCloudWatchLogs(logGroupNamePrefix = ""): void {
    this.addCloudWatchLogsGrant("ArnLike", `${logGroupNamePrefix}*`);
  }

  /** Lets CloudWatch Logs in this account and region encrypt the one log group of this exact name with this key. */
  public grantCloudWatchLogGroup(logGroupName: string): void {
    this.addCloudWatchLogsGrant("ArnEquals", logGroupName);
  }

  private addCloudWatchLogsGrant(operator: "ArnLike" | "ArnEquals", logGroupName: string): void {
    const context = AwsContext.of(this);
    this.grantCount += 1;
    this.policy.addStatement({
      sid: `CloudWatchLogs${this.grantCount}`,
      principals: { service: [`logs.${context.region}.amazonaws.com`] },
      actions: [...ENCRYPT_ACTIONS, "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: {
        [operator]: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${logGroupName}`,
        },
      },
    });
  }

  private addGrant(kind: string, principal: PrincipalLike, actions: string[], conditions: KmsGrantConditions): void {
    const context = AwsContext.of(this);
    const condition: Record<string, Record<string, string>> = {};
    if (conditions.viaService) {
      checkPattern(
        this.node.path,
        "viaService",
        conditions.viaService,
        /^[a-z0-9-]+$/,
        "a service short name such as s3",
      );
      condition.StringEquals = { "kms:ViaService": `${conditions.viaService}.${context.region}.amazonaws.com` };
    }
    for (const [key, value] of Object.entries(conditions.encryptionContext ?? {})) {
      condition.StringEquals = { ...condition.StringEquals, [`kms:EncryptionContext:${key}`]: value };
    }
    this.grantCount += 1;
    const statement: PolicyStatement = {
      sid: `${kind}${this.grantCount}`,
      principals: { aws: [principalArn(principal)] },
      actions,
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: condition,
    };
    this.policy.addStatement(statement);
  }
}
