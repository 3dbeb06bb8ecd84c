import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { dependable, Lazy, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { type Grantable, isGrantable, type PrincipalLike, principalArn } from "../core/principal";
import { checkIntegerInRange, checkPattern, checkRegion, ValidationError } from "../core/validation";
import { PolicyDocument, type PolicyStatement } from "../identity/policy-document";
import type { KmsGrantConditions, KmsKey } from "../keys/kms-key";

const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, as AWS allows. */
export function checkBucketName(where: string, property: string, name: string): void {
  checkPattern(
    where,
    property,
    name,
    BUCKET_NAME,
    "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
  );
}

/** The suffix of the access-log bucket {@link SecureBucket.accessLogsFor} makes for a bucket. */
export const ACCESS_LOG_BUCKET_SUFFIX = "-access-logs";

/** Checks that `<bucketName>-access-logs`, the bucket's log bucket, still fits S3's 63 characters. */
export function checkLogBucketRoom(where: string, property: string, bucketName: string): void {
  const longest = 63 - ACCESS_LOG_BUCKET_SUFFIX.length;
  if (bucketName.length > longest) {
    throw new ValidationError(
      where,
      property,
      bucketName,
      `allowed: at most ${longest} characters, so that its access-log bucket <name>${ACCESS_LOG_BUCKET_SUFFIX} fits S3's 63`,
    );
  }
}

/** A key prefix: path segments of letters, digits, `.`, `_`, `-` (never `.` or `..`), each ending in `/`. */
const PREFIX = /^(?:(?!\.{1,2}\/)[A-Za-z0-9._-]+\/)*$/;

/** Checks an object key prefix: `""` (every object) or `segment/.../`, with no `..`, `*` or leading `/`. */
export function checkKeyPrefix(where: string, property: string, prefix: string): void {
  checkPattern(
    where,
    property,
    prefix,
    PREFIX,
    'a key prefix such as "models/fraud/": segments of letters, digits, ".", "_" and "-" each ending in "/" (no "..", no "*", no leading "/"), or "" for the whole bucket',
  );
}

/** Object reads a {@link SecureBucket.grantRead} gives. */
export const OBJECT_READ_ACTIONS: readonly string[] = ["s3:GetObject", "s3:GetObjectVersion"];

/** Object writes a {@link SecureBucket.grantWrite} gives: uploads, multipart included. */
export const OBJECT_WRITE_ACTIONS: readonly string[] = [
  "s3:PutObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
];

/**
 * The two statements of an object grant on a bucket: the actions on the objects under `prefix`, and `s3:ListBucket`
 * for that prefix only (`s3:prefix`). Sids are `<kind>Objects<n>` and `<kind>List<n>`.
 */
export function objectGrantStatements(
  bucketArn: string,
  kind: string,
  n: number,
  actions: readonly string[],
  prefix: string,
): PolicyStatement[] {
  return [
    { sid: `${kind}Objects${n}`, actions, resources: [`${bucketArn}/${prefix}*`] },
    {
      sid: `${kind}List${n}`,
      actions: ["s3:ListBucket"],
      resources: [bucketArn],
      conditions: { StringLike: { "s3:prefix": `${prefix}*` } },
    },
  ];
}

/** Where a bucket's server access logs go. */
export interface AccessLogTarget {
  /** The log bucket (a {@link SecureBucket} made with `receivesAccessLogs`). */
  readonly bucket: SecureBucket;
  /** Key prefix of this bucket's logs, e.g. `state/`: letters, digits, `/`, `-`, `_`, `.`, ending in `/`. */
  readonly prefix: string;
}

/** Object Lock retention modes: `GOVERNANCE` (a named role may bypass it) or `COMPLIANCE` (nobody may, not even root). */
export type ObjectLockMode = "GOVERNANCE" | "COMPLIANCE";
/** The values {@link ObjectLockMode} takes. */
export const OBJECT_LOCK_MODES: readonly ObjectLockMode[] = ["GOVERNANCE", "COMPLIANCE"];

/** Longest default retention the blueprint accepts, in days (AWS allows 100 years; ten is already a long promise). */
export const MAX_OBJECT_LOCK_DAYS = 3650;

/** A bucket's default Object Lock retention: every new object version is locked for this long. */
export interface ObjectLockRetention {
  /** `GOVERNANCE` or `COMPLIANCE` (cannot be shortened or lifted by anyone until it ends). */
  readonly mode: ObjectLockMode;
  /** Days each new object version is locked: 1 to 3650. */
  readonly days: number;
}

/** Checks an Object Lock retention: a known mode and whole days in range. */
export function checkObjectLock(where: string, property: string, lock: ObjectLockRetention): void {
  if (!OBJECT_LOCK_MODES.includes(lock?.mode)) {
    throw new ValidationError(where, `${property}.mode`, lock?.mode, `allowed: ${OBJECT_LOCK_MODES.join(" or ")}`);
  }
  checkIntegerInRange(where, `${property}.days`, lock.days, 1, MAX_OBJECT_LOCK_DAYS);
}

/** Properties of a {@link SecureBucket}. */
export interface SecureBucketProps {
  /** The bucket's name (global): 3 to 63 lowercase letters, digits, dots and hyphens. */
  readonly bucketName: string;
  /**
   * The customer-managed key for SSE-KMS (with S3 Bucket Keys). Required unless `receivesAccessLogs` is set: S3
   * delivers server access logs only to buckets encrypted with S3-managed keys (SSE-S3).
   */
  readonly encryptionKey?: KmsKey;
  /** Where this bucket's access logs go. Required unless `receivesAccessLogs` is set. */
  readonly accessLogs?: AccessLogTarget;
  /**
   * Makes this the log bucket that other buckets' server access logs go to: encrypted with SSE-S3 (the only
   * encryption S3 log delivery supports), not logging itself (it would log its own log deliveries), and admitting
   * the S3 logging service for the buckets that name it as their target. Default: false.
   */
  readonly receivesAccessLogs?: boolean;
  /** Days a replaced or deleted object version is kept before it expires: 1 to 3650. Default: 90. */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which current objects expire (log buckets): 1 to 3650. Default: never. */
  readonly expirationDays?: number;
  /**
   * Turns on Object Lock with this default retention (it can only be turned on when the bucket is created). Old
   * versions then expire only once their lock has ended, so `noncurrentVersionExpirationDays` may not be shorter.
   * Default: no Object Lock.
   */
  readonly objectLock?: ObjectLockRetention;
  /** Region of the bucket when it is not the stack's (a replica): AWS provider 6's per-resource `region`. Default: the stack's. */
  readonly region?: string;
  /** Extra tags on the bucket. Default: only `Name`. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An S3 bucket with every protection a blueprint bucket needs: SSE-KMS under a customer key with S3 Bucket Keys
 * (SSE-S3 only for a log bucket, where AWS requires it), versioning, all four public-access-block flags, object
 * ownership `BucketOwnerEnforced` (no ACLs), access logging to a log bucket, a lifecycle that expires old versions
 * and aborts stale multipart uploads, EventBridge notifications, `prevent_destroy`, and a bucket policy that denies
 * every request without TLS or with TLS older than 1.2. More policy statements are added with
 * {@link SecureBucket.addToResourcePolicy}.
 */
export class SecureBucket extends Construct {
  /** The `aws_s3_bucket`. */
  public readonly resource: S3Bucket;
  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN, as a literal built from its name (usable in policies of other resources). */
  public readonly arn: string;
  /** The bucket's region (the `region` prop, else the stack's). */
  public readonly region: string;
  /** The default Object Lock retention, when Object Lock is on. */
  public readonly objectLock?: ObjectLockRetention;

  /** The `aws_s3_bucket_versioning` (configuration that needs versioning, such as replication, depends on it). */
  public readonly versioning: S3BucketVersioningA;

  private readonly policy: PolicyDocument;
  /** The `aws_s3_bucket_policy` (a service that checks the policy when it is configured, such as CloudTrail, depends on it). */
  public readonly policyResource: S3BucketPolicy;
  /** The key objects are encrypted under (none for a log bucket, which uses SSE-S3). */
  public readonly encryptionKey?: KmsKey;
  private readonly deferred: (() => PolicyStatement)[] = [];
  private readonly receivesAccessLogs: boolean;
  private logSourceCount = 0;
  private grantCount = 0;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const where = this.node.path;
    checkBucketName(where, "bucketName", props.bucketName);
    this.receivesAccessLogs = props.receivesAccessLogs ?? false;
    if (!this.receivesAccessLogs && !props.encryptionKey) {
      throw new ValidationError(
        where,
        "encryptionKey",
        undefined,
        "allowed: a KmsKey (SSE-KMS); only a log bucket uses SSE-S3",
      );
    }
    if (this.receivesAccessLogs && props.encryptionKey) {
      throw new ValidationError(
        where,
        "encryptionKey",
        "a KmsKey",
        "allowed: none on a log bucket: S3 delivers server access logs only to SSE-S3 buckets",
      );
    }
    if (!this.receivesAccessLogs && !props.accessLogs) {
      throw new ValidationError(where, "accessLogs", undefined, "allowed: a log bucket and a prefix");
    }
    if (props.accessLogs) {
      checkPattern(
        where,
        "accessLogs.prefix",
        props.accessLogs.prefix,
        /^[A-Za-z0-9/_.-]*\/$/,
        "a key prefix ending in /",
      );
      const region = props.region ?? AwsContext.of(this).region;
      if (props.accessLogs.bucket.region !== region) {
        throw new ValidationError(
          where,
          "accessLogs.bucket",
          props.accessLogs.bucket.bucketName,
          `allowed: a log bucket in this bucket's region (${region}); S3 delivers access logs within a region only`,
        );
      }
      if (!props.accessLogs.bucket.receivesAccessLogs) {
        throw new ValidationError(
          where,
          "accessLogs.bucket",
          props.accessLogs.bucket.bucketName,
          "allowed: a SecureBucket made with receivesAccessLogs",
        );
      }
    }
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    checkIntegerInRange(where, "noncurrentVersionExpirationDays", noncurrentDays, 1, 3650);
    if (props.expirationDays !== undefined) checkIntegerInRange(where, "expirationDays", props.expirationDays, 1, 3650);
    if (props.objectLock) {
      checkObjectLock(where, "objectLock", props.objectLock);
      if (noncurrentDays < props.objectLock.days) {
        throw new ValidationError(
          where,
          "noncurrentVersionExpirationDays",
          noncurrentDays,
          `allowed: at least objectLock.days (${props.objectLock.days}); a locked version cannot expire before its lock ends`,
        );
      }
    }
    if (props.region !== undefined) {
      checkRegion(where, "region", props.region);
    }

    const context = AwsContext.of(this);
    this.bucketName = props.bucketName;
    this.arn = `arn:${context.partition}:s3:::${props.bucketName}`;
    this.region = props.region ?? context.region;
    this.objectLock = props.objectLock;
    this.encryptionKey = props.encryptionKey;
    const region = props.region;
    this.resource = new S3Bucket(this, "Bucket", {
      region,
      bucket: props.bucketName,
      forceDestroy: false,
      objectLockEnabled: props.objectLock ? true : undefined,
      tags: { ...props.tags, Name: props.bucketName },
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.resource.id;
    // The policy is written last: a bucket policy may deny changes to the rest of the configuration (ModelStore's
    // does), and a first apply must not be locked out of finishing the bucket it is creating.
    const companions: TerraformResource[] = [];
    const companion = <T extends TerraformResource>(resource: T): T => {
      companions.push(resource);
      return resource;
    };
    companion(
      new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
        region,
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    );
    companion(
      new S3BucketOwnershipControls(this, "Ownership", {
        region,
        bucket,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      }),
    );
    companion(
      new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
        region,
        bucket,
        rule: [
          props.encryptionKey
            ? {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: "aws:kms",
                  kmsMasterKeyId: props.encryptionKey.arn,
                },
                bucketKeyEnabled: true,
                blockedEncryptionTypes: ["SSE-C"],
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] },
        ],
      }),
    );
    const versioning = companion(
      new S3BucketVersioningA(this, "Versioning", {
        region,
        bucket,
        versioningConfiguration: { status: "Enabled" },
      }),
    );
    this.versioning = versioning;
    companion(
      new S3BucketLifecycleConfiguration(this, "Lifecycle", {
        region,
        bucket,
        rule: [
          {
            id: "expire-old-versions-and-stale-uploads",
            status: "Enabled",
            filter: [{ prefix: "" }],
            noncurrentVersionExpiration: [{ noncurrentDays }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
            ...(props.expirationDays === undefined ? {} : { expiration: [{ days: props.expirationDays }] }),
          },
        ],
        dependsOn: [versioning],
      }),
    );
    companion(new S3BucketNotification(this, "Notifications", { region, bucket, eventbridge: true }));
    if (props.objectLock) {
      companion(
        new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
          region,
          bucket,
          rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
          dependsOn: [versioning],
        }),
      );
    }
    if (props.accessLogs) {
      companion(
        new S3BucketLoggingA(this, "Logging", {
          region,
          bucket,
          targetBucket: props.accessLogs.bucket.resource.id,
          targetPrefix: props.accessLogs.prefix,
        }),
      );
      props.accessLogs.bucket.admitAccessLogsFrom(this);
    }

    this.policy = new PolicyDocument(`${where} bucket policy`, [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        anyPrincipal: true,
        actions: ["s3:*"],
        resources: [this.arn, `${this.arn}/*`],
        conditions: { Bool: { "aws:SecureTransport": false } },
      },
      {
        sid: "DenyOutdatedTls",
        effect: "Deny",
        anyPrincipal: true,
        actions: ["s3:*"],
        resources: [this.arn, `${this.arn}/*`],
        conditions: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
    ]);
    this.policyResource = new S3BucketPolicy(this, "Policy", {
      region,
      bucket,
      policy: Lazy.stringValue({ produce: () => this.renderPolicy() }),
      dependsOn: companions,
    });

    if (this.receivesAccessLogs) {
      Guardrails.suppress(
        this.resource,
        "SMD-S3-2",
        "S3 delivers server access logs only to buckets encrypted with S3-managed keys (SSE-S3); a KMS key would stop delivery",
      );
      Guardrails.suppress(
        this.resource,
        "SMD-S3-4",
        "This bucket receives the other buckets' access logs; logging it would log its own log deliveries without end",
      );
    }
  }

  /**
   * The log bucket of a bucket, `<bucketName>-access-logs`: SSE-S3 (what S3 log delivery requires), logs kept a year,
   * replaced versions 30 days.
   * @param region - the region of the bucket whose logs it receives; default: the stack's
   */
  public static accessLogsFor(scope: Construct, id: string, bucketName: string, region?: string): SecureBucket {
    return new SecureBucket(scope, id, {
      region,
      bucketName: `${bucketName}${ACCESS_LOG_BUCKET_SUFFIX}`,
      receivesAccessLogs: true,
      expirationDays: 365,
      noncurrentVersionExpirationDays: 30,
    });
  }

  /** The ARN of the objects under a key prefix (`models/fraud/`), or of every object. */
  public arnForObjects(prefix = ""): string {
    return `${this.arn}/${prefix}*`;
  }

  /**
   * Lets a principal read the objects under a prefix: `s3:GetObject` and `s3:GetObjectVersion` there, `s3:ListBucket`
   * for that prefix only, and `kms:Decrypt` with the bucket's key only via S3 in its region and only for this bucket
   * (encryption context). A {@link Grantable} principal (a `WorkloadRole`) gets the S3 rights in its own policy; an ARN
   * gets them in the bucket policy. The key right is always in the key policy, which delegates nothing to IAM.
   * @param prefix - e.g. `datasets/churn/`; default: `""`, every object
   */
  public grantRead(principal: PrincipalLike | Grantable, prefix = ""): void {
    this.grantObjects("Read", principal, OBJECT_READ_ACTIONS, prefix);
    this.encryptionKey?.grantDecrypt(principalArn(principal), this.s3KeyConditions);
  }

  /**
   * Lets a principal write objects under a prefix: put them (multipart uploads included, which it may finish or
   * abort), `s3:ListBucket` for that prefix, and have S3 generate data keys under the bucket's key (`kms:Decrypt` too,
   * which multipart uploads need) only via S3 in its region and only for this bucket. It gets no delete: versions stay.
   * @param prefix - e.g. `datasets/churn/`; default: `""`, every object
   */
  public grantWrite(principal: PrincipalLike | Grantable, prefix = ""): void {
    this.grantObjects("Write", principal, OBJECT_WRITE_ACTIONS, prefix);
    this.encryptionKey?.grantGenerateDataKey(principalArn(principal), this.s3KeyConditions);
  }

  /** {@link SecureBucket.grantRead} and {@link SecureBucket.grantWrite} together, on one prefix. */
  public grantReadWrite(principal: PrincipalLike | Grantable, prefix = ""): void {
    this.grantRead(principal, prefix);
    this.grantWrite(principal, prefix);
  }

  /**
   * Gives a principal exact object actions under a prefix, plus `s3:ListBucket` for that prefix: in its own policy
   * when it is {@link Grantable}, else in the bucket policy. No key right: the caller grants what its key needs.
   * @param kind - names the statements (`<kind>Objects<n>`, `<kind>List<n>`)
   */
  public grantObjects(kind: string, principal: PrincipalLike | Grantable, actions: readonly string[], prefix: string) {
    checkKeyPrefix(this.node.path, "prefix", prefix);
    if (actions.length === 0 || actions.some((a) => !/^s3:[A-Za-z]+$/.test(a))) {
      throw new ValidationError(this.node.path, "actions", actions, "allowed: exact S3 actions such as s3:GetObject");
    }
    this.grantCount += 1;
    for (const statement of objectGrantStatements(this.arn, kind, this.grantCount, actions, prefix)) {
      if (isGrantable(principal)) principal.addToPrincipalPolicy(statement);
      else this.addToResourcePolicy({ ...statement, principals: { aws: [principalArn(principal)] } });
    }
  }

  /** Key-grant conditions that limit use of a key to S3, for this bucket: via S3 in the key's region, with its ARN as context. */
  public get s3KeyConditions(): KmsGrantConditions {
    return { viaService: "s3", encryptionContext: { "aws:s3:arn": this.arn } };
  }

  /** Adds a statement to the bucket policy (a Deny that narrows access, or an Allow for a service). */
  public addToResourcePolicy(statement: PolicyStatement): void {
    this.policy.addStatement(statement);
  }

  /**
   * Adds a statement made when the policy is rendered at synth, for statements that list principals granted later
   * (a denial with an exception for every writer granted so far).
   */
  public addDeferredToResourcePolicy(produce: () => PolicyStatement): void {
    this.deferred.push(produce);
  }

  /** Makes the bucket policy wait for another piece of the bucket's configuration (e.g. its replication). */
  public addPolicyDependency(resource: TerraformResource): void {
    this.policyResource.dependsOn = [...(this.policyResource.dependsOn ?? []), dependable(resource)];
  }

  private renderPolicy(): string {
    if (this.deferred.length === 0) return this.policy.toJson();
    // Rendered afresh on every resolution: a stack is resolved more than once.
    const policy = this.policy.copy();
    for (const produce of this.deferred) policy.addStatement(produce());
    return policy.toJson();
  }

  /** Lets the S3 logging service deliver one source bucket's access logs here, for this account only. */
  private admitAccessLogsFrom(source: SecureBucket): void {
    const context = AwsContext.of(this);
    this.logSourceCount += 1;
    this.policy.addStatement({
      sid: `AccessLogDelivery${this.logSourceCount}`,
      principals: { service: ["logging.s3.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [this.arnForObjects()],
      conditions: {
        StringEquals: { "aws:SourceAccount": context.accountId },
        ArnLike: { "aws:SourceArn": source.arn },
      },
    });
  }
}
