import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { Construct } from "constructs";
import { createServiceRole } from "../identity/service-role";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { type PrincipalLike, principalArn } from "../core/principal";
import { checkPattern, checkRoleName, ValidationError } from "../core/validation";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";
import { checkLogRetention, EncryptedLogGroup } from "../logging/encrypted-log-group";
import {
  checkBucketName,
  checkLogBucketRoom,
  checkObjectLock,
  type ObjectLockRetention,
  SecureBucket,
} from "../storage/secure-bucket";

/** Properties of an {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The trail's name: letters, digits, `.`, `_`, `-`, 3 to 128 characters; also names its key, log group and role. */
  readonly trailName: string;
  /** The trail bucket's name (global, at most 51 characters); its access logs go to `<bucketName>-access-logs`. */
  readonly bucketName: string;
  /** Object Lock of every log file: `GOVERNANCE` or `COMPLIANCE` (not even root may delete), 1 to 3650 days. */
  readonly objectLock: ObjectLockRetention;
  /** Days the trail's CloudWatch log group keeps events: one of CloudWatch Logs' periods, 365 or more. */
  readonly logRetentionInDays: number;
  /** Buckets whose object-level events (reads, writes, deletes) the trail records: the model stores. Default: none. */
  readonly dataEventBuckets?: readonly string[];
  /** Principals that may read the logs (decrypt them via S3): an incident-response role. Default: none. */
  readonly readers?: readonly PrincipalLike[];
  /** Administrators, viewers and deletion window of the trail's key. Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
}

/**
 * The account's audit trail: a multi-region CloudTrail trail with global service events and log-file validation,
 * encrypted under its own KMS key, delivering to CloudWatch Logs (through a role that may write to that one log group)
 * and to its own bucket: a {@link SecureBucket} under the same key, with Object Lock on every log file, access logs,
 * and a policy that admits CloudTrail for this trail only and denies every other write. Advanced event selectors
 * record every management event and the object-level events of the model stores, which the tamper alert and
 * GuardDuty's S3 protection read.
 */
export class AuditTrail extends Construct {
  /** The `aws_cloudtrail`. */
  public readonly trail: Cloudtrail;
  /** The trail's key (log files and log group). */
  public readonly key: KmsKey;
  /** The trail's bucket. */
  public readonly bucket: SecureBucket;
  /** The trail's CloudWatch log group. */
  public readonly logGroup: EncryptedLogGroup;
  /** The trail's ARN, as a literal. */
  public readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const where = this.node.path;
    checkPattern(where, "trailName", props.trailName, /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, "a CloudTrail trail name");
    checkBucketName(where, "bucketName", props.bucketName);
    checkLogBucketRoom(where, "bucketName", props.bucketName);
    checkLogRetention(where, "logRetentionInDays", props.logRetentionInDays);
    if (props.logRetentionInDays < 365) {
      throw new ValidationError(
        where,
        "logRetentionInDays",
        props.logRetentionInDays,
        "allowed: 365 days or more, one of CloudWatch Logs' periods: audit records are kept a year at least",
      );
    }
    checkObjectLock(where, "objectLock", props.objectLock);
    const dataEventBuckets = props.dataEventBuckets ?? [];
    for (const bucket of dataEventBuckets) checkBucketName(where, "dataEventBuckets", bucket);
    const roleName = `${props.trailName}-cloudwatch`;
    checkRoleName(where, "trailName", roleName);

    const context = AwsContext.of(this);
    this.trailArn = `arn:${context.partition}:cloudtrail:${context.region}:${context.accountId}:trail/${props.trailName}`;
    this.key = new KmsKey(this, "Key", {
      ...props.keys,
      alias: props.trailName,
      description: `Encrypts the audit trail ${props.trailName}`,
    });
    this.key.grantCloudTrail(this.trailArn);
    for (const reader of props.readers ?? []) this.key.grantDecrypt(principalArn(reader), { viaService: "s3" });

    const accessLogs = SecureBucket.accessLogsFor(this, "AccessLogs", props.bucketName);
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      encryptionKey: this.key,
      accessLogs: { bucket: accessLogs, prefix: "audit-trail/" },
      objectLock: props.objectLock,
      noncurrentVersionExpirationDays: Math.max(90, props.objectLock.days),
      tags: { BlueprintRole: "audit-trail" },
    });
    const thisTrail = { StringEquals: { "aws:SourceArn": this.trailArn } };
    this.bucket.addToResourcePolicy({
      sid: "CloudTrailAclCheck",
      principals: { service: ["cloudtrail.amazonaws.com"] },
      actions: ["s3:GetBucketAcl"],
      resources: [this.bucket.arn],
      conditions: thisTrail,
    });
    this.bucket.addToResourcePolicy({
      sid: "CloudTrailWrite",
      principals: { service: ["cloudtrail.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [this.bucket.arnForObjects(`AWSLogs/${context.accountId}/`)],
      conditions: {
        StringEquals: { "aws:SourceArn": this.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    });
    this.bucket.addToResourcePolicy({
      sid: "DenyWritesButThisTrail",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:PutObject"],
      resources: [this.bucket.arnForObjects()],
      conditions: { StringNotEquals: { "aws:SourceArn": this.trailArn } },
    });

    const logGroupName = `/aws/cloudtrail/${props.trailName}`;
    this.logGroup = new EncryptedLogGroup(this, "LogGroup", {
      name: logGroupName,
      encryptionKey: this.key,
      retentionInDays: props.logRetentionInDays,
    });
    const { policy: rolePolicy, role } = createServiceRole(this, {
      roleId: "CloudWatchRole",
      policyId: "CloudWatchPolicy",
      name: roleName,
      description: `Delivers the audit trail ${props.trailName} to CloudWatch Logs`,
      service: "cloudtrail.amazonaws.com",
      trustSid: "CloudTrail",
      sourceArn: { equals: this.trailArn },
      policyName: "deliver",
      statements: [
        {
          sid: "DeliverToTheTrailLogGroup",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:log-stream:${context.accountId}_CloudTrail_*`],
        },
      ],
    });

    this.trail = new Cloudtrail(this, "Trail", {
      name: props.trailName,
      s3BucketName: props.bucketName,
      kmsKeyId: this.key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      // A reference, not the literal ARN, so that scanners see the trail joined to its log group (CKV2_AWS_10).
      cloudWatchLogsGroupArn: `${this.logGroup.resource.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      advancedEventSelector: [
        {
          name: "Every management event",
          fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }],
        },
        ...(dataEventBuckets.length === 0
          ? []
          : [
              {
                name: "Object-level events of the model stores",
                fieldSelector: [
                  { field: "eventCategory", equalTo: ["Data"] },
                  { field: "resources.type", equalTo: ["AWS::S3::Object"] },
                  {
                    field: "resources.ARN",
                    startsWith: dataEventBuckets.map((b) => `arn:${context.partition}:s3:::${b}/`),
                  },
                ],
              },
            ]),
      ],
      tags: { Name: props.trailName },
      // CloudTrail checks the bucket policy and the role when the trail is created.
      dependsOn: [this.bucket.policyResource, rolePolicy],
    });
    Guardrails.suppress(
      this.trail,
      "CKV_AWS_252",
      "An SNS notification per delivered log file would bury the security alert topic in routine messages; the trail's events reach the alert rules through EventBridge and its log group instead",
    );
    for (const bucket of [this.bucket, accessLogs]) {
      Guardrails.suppress(
        bucket.resource,
        "CKV_AWS_144",
        "The trail already records every region into this one bucket, which is versioned, Object-Locked (log files) and protected from destroy; a second copy belongs in an Organization's log-archive account, which the blueprint does not own",
      );
    }
  }
}
