import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { type PrincipalLike, principalArn } from "../core/principal";
import { checkIntegerInRange, checkPattern } from "../core/validation";
import type { PolicyDocument, PolicyStatement } from "../identity/policy-document";
import { type CustomerKeyProps, customerKeyBase, delegationToRoles, KEY_POLICY_RESOURCE_REASON } from "./key-policy";

export { KMS_ADMIN_ACTIONS, KMS_VIEW_ACTIONS } from "./key-policy";

/** Properties of a {@link KmsKey}. */
export interface KmsKeyProps extends CustomerKeyProps {
  /** IAM principals that may encrypt and decrypt with the key. More can be added with the `grant*` methods. Default: none. */
  readonly users?: readonly PrincipalLike[];
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

const ENCRYPT_ACTIONS = [
  "kms:Encrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:DescribeKey",
];
const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];

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
  /** The region the key lives in. */
  public readonly region: string;

  private readonly policy: PolicyDocument;
  private grantCount = 0;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const rotationPeriodInDays = props.rotationPeriodInDays ?? 90;
    checkIntegerInRange(this.node.path, "rotationPeriodInDays", rotationPeriodInDays, 90, 2560);
    const base = customerKeyBase(this, props);
    this.policy = base.policy;
    this.region = base.region;
    this.aliasName = base.aliasName;
    this.resource = new KmsKeyResource(this, "Key", {
      region: props.region,
      description: base.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      isEnabled: true,
      enableKeyRotation: true,
      rotationPeriodInDays,
      deletionWindowInDays: base.deletionWindowInDays,
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      policy: Lazy.stringValue({ produce: () => this.policy.toJson() }),
      tags: { Name: props.alias },
      lifecycle: { preventDestroy: true },
    });
    this.aliasResource = new KmsAlias(this, "Alias", {
      region: props.region,
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

  /**
   * Lets this account's roles whose names start with `roleNamePrefix` decrypt with the key, under the same conditions
   * as {@link KmsKey.grantDecrypt}, if and only if their own IAM policies also allow it: the key policy delegates to IAM for
   * that family of roles alone. For roles of other stacks, which the key policy cannot name before they exist.
   */
  public delegateDecrypt(roleNamePrefix: string, conditions: KmsGrantConditions = {}): void {
    const { principal, condition } = delegationToRoles(this, "roleNamePrefix", roleNamePrefix);
    this.addGrant("DelegatedDecrypt", principal, DECRYPT_ACTIONS, conditions, condition);
  }

  /** Lets a principal encrypt and decrypt, optionally only via a service and context. */
  public grantEncryptDecrypt(principal: PrincipalLike, conditions: KmsGrantConditions = {}): void {
    this.addGrant("EncryptDecrypt", principal, [...ENCRYPT_ACTIONS, "kms:Decrypt"], conditions);
  }

  /**
   * Lets CloudWatch Logs in this account and region encrypt log groups whose name starts with `logGroupNamePrefix`
   * with this key (the encryption context AWS sets names the log group).
   * @param logGroupNamePrefix - log group name prefix, e.g. `/aws/eks/acme-prod`; default: every log group
   */
  public grantCloudWatchLogs(logGroupNamePrefix = ""): void {
    this.addCloudWatchLogsGrant("ArnLike", `${logGroupNamePrefix}*`);
  }

  /** Lets CloudWatch Logs in this account and region encrypt the one log group of this exact name with this key. */
  public grantCloudWatchLogGroup(logGroupName: string): void {
    this.addCloudWatchLogsGrant("ArnEquals", logGroupName);
  }

  /**
   * Lets a principal have S3 (or another service) generate data keys under this key and decrypt them again: what an
   * SSE-KMS upload needs (`kms:Decrypt` too, for multipart uploads), without `kms:Encrypt` or re-encryption.
   */
  public grantGenerateDataKey(principal: PrincipalLike, conditions: KmsGrantConditions = {}): void {
    this.addGrant("DataKeys", principal, ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], conditions);
  }

  /**
   * Lets a principal have an AWS service create grants on this key for a resource it creates (ECR creates two grants
   * on the key of every repository it encrypts), only via that service (`kms:ViaService`) and only for AWS resources
   * (`kms:GrantIsForAWSResource`).
   * @param viaService - the service short name, e.g. `ecr`
   */
  public grantServiceGrants(principal: PrincipalLike, viaService: string): void {
    this.addGrant(
      "ServiceGrants",
      principal,
      ["kms:CreateGrant", "kms:DescribeKey"],
      { viaService },
      {
        Bool: { "kms:GrantIsForAWSResource": true },
      },
    );
  }

  /**
   * Lets an AWS service principal of this account use the key to generate and read data keys, e.g. EventBridge and
   * CloudWatch publishing to an encrypted SNS topic. Only for requests on behalf of this account (`aws:SourceAccount`).
   * @param servicePrincipal - e.g. `events.amazonaws.com`
   */
  public grantServicePrincipal(servicePrincipal: string): void {
    checkPattern(
      this.node.path,
      "servicePrincipal",
      servicePrincipal,
      /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/,
      "an AWS service principal such as events.amazonaws.com",
    );
    const context = AwsContext.of(this);
    this.grantCount += 1;
    this.policy.addStatement({
      sid: `Service${this.grantCount}`,
      principals: { service: [servicePrincipal] },
      actions: ["kms:GenerateDataKey", "kms:Decrypt"],
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: { StringEquals: { "aws:SourceAccount": context.accountId } },
    });
  }

  /**
   * Lets CloudTrail encrypt the log files of one trail of this account with this key: `kms:GenerateDataKey` only for
   * that trail (`aws:SourceArn`) and only with a CloudTrail encryption context of this account.
   */
  public grantCloudTrail(trailArn: string): void {
    const context = AwsContext.of(this);
    this.grantCount += 1;
    this.policy.addStatement({
      sid: `CloudTrail${this.grantCount}`,
      principals: { service: ["cloudtrail.amazonaws.com"] },
      actions: ["kms:GenerateDataKey", "kms:DescribeKey"],
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${context.partition}:cloudtrail:*:${context.accountId}:trail/*`,
        },
      },
    });
  }

  /**
   * Lets a principal (Auto Scaling's service-linked role, for the volumes of the instances it launches) use the key
   * for EBS volumes: encrypt, decrypt, re-encrypt and make data keys, and grant EC2 use for an attached volume; only via
   * EC2 in the key's region.
   */
  public grantEbsVolumes(principal: PrincipalLike): void {
    const viaEc2 = { viaService: "ec2" };
    this.addGrant(
      "EbsVolumes",
      principal,
      [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:DescribeKey",
      ],
      viaEc2,
    );
    this.addGrant("EbsGrants", principal, ["kms:CreateGrant"], viaEc2, {
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  }

  /**
   * Lets an EKS cluster's role envelope-encrypt the cluster's Secrets with this key: encrypt, decrypt, describe and
   * list grants, and create the grant EKS holds on the key for the cluster; only via EKS in the key's region (the
   * grant also only for an AWS resource).
   */
  public grantEksSecrets(clusterRole: PrincipalLike): void {
    const viaEks = { viaService: "eks" };
    this.addGrant(
      "EksSecrets",
      clusterRole,
      ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
      viaEks,
    );
    this.addGrant("EksGrants", clusterRole, ["kms:CreateGrant"], viaEks, {
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  }

  private addCloudWatchLogsGrant(operator: "ArnLike" | "ArnEquals", logGroupName: string): void {
    const context = AwsContext.of(this);
    this.grantCount += 1;
    this.policy.addStatement({
      sid: `CloudWatchLogs${this.grantCount}`,
      principals: { service: [`logs.${this.region}.amazonaws.com`] },
      actions: [...ENCRYPT_ACTIONS, "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
      resources: ["*"],
      wildcardResourceReason: KEY_POLICY_RESOURCE_REASON,
      conditions: {
        [operator]: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${context.partition}:logs:${this.region}:${context.accountId}:log-group:${logGroupName}`,
        },
      },
    });
  }

  private addGrant(
    kind: string,
    principal: PrincipalLike,
    actions: string[],
    conditions: KmsGrantConditions,
    extra: Record<string, Record<string, string | boolean>> = {},
  ): void {
    const condition: Record<string, Record<string, string | boolean>> = { ...extra };
    if (conditions.viaService) {
      checkPattern(
        this.node.path,
        "viaService",
        conditions.viaService,
        /^[a-z0-9-]+$/,
        "a service short name such as s3",
      );
      condition.StringEquals = { "kms:ViaService": `${conditions.viaService}.${this.region}.amazonaws.com` };
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
