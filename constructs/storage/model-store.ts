import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import { createServiceRole } from "../identity/service-role";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { type Grantable, type PrincipalLike, principalArn } from "../core/principal";
import {
  checkIntegerInRange,
  checkLowercaseName,
  checkPattern,
  checkRegion,
  checkRoleArn,
  checkRoleName,
  ValidationError,
} from "../core/validation";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";
import { SigningKey, type SigningKeySpec } from "../keys/signing-key";
import {
  checkBucketName,
  checkKeyPrefix,
  checkLogBucketRoom,
  checkObjectLock,
  OBJECT_READ_ACTIONS,
  OBJECT_WRITE_ACTIONS,
  type ObjectLockRetention,
  SecureBucket,
} from "./secure-bucket";

/** Object reads the store admits only through the VPC's gateway endpoint (and from its exempt principals). */
export const MODEL_READ_ACTIONS: readonly string[] = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectVersionForReplication",
  "s3:ListBucket",
  "s3:ListBucketVersions",
];

/** Writes of object data: the publishers' alone. */
export const MODEL_WRITE_ACTIONS: readonly string[] = ["s3:PutObject"];

/** Writes of object tags: the publishers' and the AWS service roles' (malware scanning tags each object it scans). */
export const MODEL_TAG_ACTIONS: readonly string[] = [
  "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
];

/**
 * Deletes, retention changes, the governance bypass, and changes to the protections themselves (policy, lock,
 * versioning, encryption, lifecycle, replication, logging, notifications, public access): the break-glass role's
 * alone. Terraform changes to these after the first apply therefore run as the break-glass role.
 */
export const MODEL_PROTECTED_ACTIONS: readonly string[] = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:DeleteBucket",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:PutBucketLogging",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
];

/** What a publisher may do with objects: write them and read them back. */
const PUBLISH_GRANT_ACTIONS = [...OBJECT_WRITE_ACTIONS, ...OBJECT_READ_ACTIONS];

/** Checks a model-store key prefix: `""` (every object) or `segment/.../`, with no `..`, `*` or leading `/`. */
export const checkModelPrefix = checkKeyPrefix;

/**
 * Checks a model version: the folder `<prefix><version>/` the model release publishes and signs, so a name, never a
 * path: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters.
 */
export function checkModelVersion(where: string, property: string, version: string): void {
  checkPattern(
    where,
    property,
    version,
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "a folder name under the model's prefix: letters, digits, '.', '_' and '-', at most 64 characters",
  );
}

/** The alias of the store's signing key without `alias/`: `<store name>-signing`. */
function signingKeyAliasOf(storeName: string): string {
  return `${storeName}-signing`;
}

/**
 * The full alias of a model store's signing key, `alias/<store name>-signing`: how a verifier in another stack (a
 * workloads stack, an app team's) names the key without a cross-stack reference.
 */
export function modelSigningKeyAlias(storeName: string): string {
  return `alias/${signingKeyAliasOf(storeName)}`;
}

/** Where and how the store is copied to a second region. */
export interface ModelStoreReplication {
  /** The replica's region: any region but the store's. */
  readonly region: string;
  /** The replica bucket's name (global): 3 to 63 lowercase letters, digits, dots and hyphens. */
  readonly bucketName: string;
}

/** Properties of a {@link ModelStore}. */
export interface ModelStoreProps {
  /**
   * Name of the store, for its keys' aliases (`<name>`, `<name>-signing`, `<name>-replica`) and its replication
   * role (`<name>-replication`): lowercase letters, digits and hyphens, 2 to 40 characters.
   */
  readonly name: string;
  /** The bucket's name (global); its access-log bucket is `<bucketName>-access-logs`. */
  readonly bucketName: string;
  /**
   * The principals that publish models (the release pipeline's roles): they alone may write objects, and they may
   * sign. At least one. Each gets {@link ModelStore.grantPublish} on `publishPrefix`; more can be added with that
   * method.
   */
  readonly publishers: readonly (PrincipalLike | Grantable)[];
  /** Key prefix the `publishers` may publish under, e.g. `models/`; `""` for the whole store. Default: `""`. */
  readonly publishPrefix?: string;
  /**
   * The role that may delete object versions, bypass or change retention, and change the store's protections: an
   * IAM role ARN, used rarely and watched (the tamper alert fires on its writes too). It need not exist yet.
   */
  readonly breakGlassRoleArn: string;
  /**
   * IDs of the VPC gateway endpoints for S3 that reads must come through (`aws:SourceVpce`). At least one. Reads by
   * the publishers, the break-glass role and the store's own service roles are exempt.
   */
  readonly vpcEndpointIds: readonly string[];
  /** Default Object Lock retention of every new object version. Default: `GOVERNANCE` for 30 days. */
  readonly objectLock?: ObjectLockRetention;
  /** Days a replaced object version is kept: at least `objectLock.days`, at most 3650. Default: 90 or `objectLock.days`, whichever is more. */
  readonly noncurrentVersionExpirationDays?: number;
  /** Copies every new object version to a replica bucket in another region, under its own key. Default: no replica. */
  readonly replication?: ModelStoreReplication;
  /** Administrators, viewers and deletion window of the store's keys (encryption, signing, replica). Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
  /** The signing key's spec. Default: `ECC_NIST_P256` (ECDSA with SHA-256). */
  readonly signingKeySpec?: SigningKeySpec;
  /**
   * Lets this account's roles whose names start with this prefix read models through the store's keys, when their own
   * IAM policies say so: `kms:Decrypt` only via S3 for this bucket, `kms:Verify` with the signing key's algorithm. For
   * app teams' workload roles in stacks of their own, which get their read rights with
   * {@link ModelStoreReference.grantRead} and which the key policies cannot name before they exist. The bucket policy's
   * denials (reads only through the VPC endpoint, writes only by publishers) hold for them as for everyone. 3 to 40
   * characters ending in `-`, e.g. `acme-dev-app-`. Default: none (only roles granted here may read).
   */
  readonly delegatedReaderRolePrefix?: string;
  /**
   * Name of the replication role. The bucket policy exempts it by name, so give it a name the deploy boundary keeps
   * the pipeline from re-trusting or re-creating (`<namePrefix>-svc-...`). Default: `<name>-replication`.
   */
  readonly replicationRoleName?: string;
}

/**
 * What an AWS service role the blueprint sets up for the store may do beyond reading and tagging objects, which every
 * admitted service role may. Its own policy says which objects; the bucket policy only stops denying.
 */
export interface ServiceRoleAccess {
  /** May put objects (GuardDuty writes one validation object). Default: false. */
  readonly writesObjects?: boolean;
  /** May change the bucket's event notifications (GuardDuty turns EventBridge delivery on). Default: false. */
  readonly managesNotifications?: boolean;
}

/**
 * The model store, the crown jewel: an S3 bucket (a {@link SecureBucket}: SSE-KMS under its own key with Bucket Keys,
 * versioning, TLS 1.2+, public access blocked, ACLs off, access logs to a dedicated log bucket, EventBridge
 * notifications, `prevent_destroy`) with Object Lock, an optional replica in a second region, a signing key for
 * model artifacts, and a bucket policy that denies:
 * - uploads encrypted other than with SSE-KMS under the store's key (requests that name no encryption get the
 *   default, which is that key; SSE-C is blocked by the bucket's encryption configuration);
 * - object writes by anyone but the publishers (object tags: also the store's service roles);
 * - reads that do not come through the VPC's S3 gateway endpoint, except by the publishers, the break-glass role and
 *   the store's service roles (replication, malware scanning);
 * - deletes, retention changes, the governance bypass and changes to the store's protections by anyone but the
 *   break-glass role.
 *
 * Rights are given with {@link ModelStore.grantRead} and {@link ModelStore.grantPublish}: exact actions under a prefix, the key usable only
 * via S3 in the store's region and only for this bucket (encryption context), and the signing key's verify or sign.
 */
export class ModelStore extends Construct {
  /** The model bucket. */
  public readonly bucket: SecureBucket;
  /** The bucket receiving the store's access logs (the replica's go to a log bucket in its own region). */
  public readonly accessLogs: SecureBucket;
  /** The key objects are encrypted under. */
  public readonly key: KmsKey;
  /** The asymmetric key model artifacts are signed with. */
  public readonly signingKey: SigningKey;
  /** The replica bucket, when replication is on. */
  public readonly replica?: SecureBucket;
  /** The replica's key, when replication is on. */
  public readonly replicaKey?: KmsKey;
  /** The role S3 replicates with, when replication is on. */
  public readonly replicationRole?: IamRole;
  /** The break-glass role's ARN. */
  public readonly breakGlassRoleArn: string;
  /** The name prefix of the roles the keys delegate model reads to, when set. */
  public readonly delegatedReaderRolePrefix?: string;

  private readonly name: string;
  private readonly publishers = new Set<string>();
  private readonly serviceRoles = new Set<string>();
  private readonly serviceWriters = new Set<string>();
  private readonly notificationManagers = new Set<string>();

  constructor(scope: Construct, id: string, props: ModelStoreProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "name", props.name, 40);
    checkBucketName(where, "bucketName", props.bucketName);
    checkLogBucketRoom(where, "bucketName", props.bucketName);
    if (props.publishers.length === 0) {
      throw new ValidationError(
        where,
        "publishers",
        [],
        "allowed: at least one publisher role: a store nobody may write serves no model",
      );
    }
    for (const publisher of props.publishers) checkRoleArn(where, "publishers", principalArn(publisher));
    checkRoleArn(where, "breakGlassRoleArn", props.breakGlassRoleArn);
    if (props.vpcEndpointIds.length === 0) {
      throw new ValidationError(
        where,
        "vpcEndpointIds",
        [],
        "allowed: the IDs of the VPC's S3 gateway endpoints (vpce-...)",
      );
    }
    for (const endpoint of props.vpcEndpointIds) {
      checkPattern(where, "vpcEndpointIds", endpoint, /^vpce-[0-9a-f]{8,17}$/, "VPC endpoint IDs (vpce-...)");
    }
    checkModelPrefix(where, "publishPrefix", props.publishPrefix ?? "");
    if (props.replicationRoleName !== undefined) checkRoleName(where, "replicationRoleName", props.replicationRoleName);
    const objectLock = props.objectLock ?? { mode: "GOVERNANCE", days: 30 };
    checkObjectLock(where, "objectLock", objectLock);
    const noncurrentVersionExpirationDays = props.noncurrentVersionExpirationDays ?? Math.max(90, objectLock.days);
    checkIntegerInRange(
      where,
      "noncurrentVersionExpirationDays",
      noncurrentVersionExpirationDays,
      objectLock.days,
      3650,
    );
    const context = AwsContext.of(this);
    if (props.replication) {
      checkRegion(where, "replication.region", props.replication.region);
      if (props.replication.region === context.region) {
        throw new ValidationError(
          where,
          "replication.region",
          props.replication.region,
          `allowed: a region other than the store's own (${context.region}): a replica in the same region survives no regional outage`,
        );
      }
      checkBucketName(where, "replication.bucketName", props.replication.bucketName);
      checkLogBucketRoom(where, "replication.bucketName", props.replication.bucketName);
      if (props.replication.bucketName === props.bucketName) {
        throw new ValidationError(
          where,
          "replication.bucketName",
          props.replication.bucketName,
          "allowed: a name other than bucketName",
        );
      }
    }

    this.breakGlassRoleArn = props.breakGlassRoleArn;
    this.name = props.name;
    const keyProps = props.keys ?? {};
    this.key = new KmsKey(this, "Key", {
      ...keyProps,
      alias: props.name,
      description: `Encrypts the models in ${props.bucketName}`,
    });
    this.signingKey = new SigningKey(this, "SigningKey", {
      ...keyProps,
      alias: signingKeyAliasOf(props.name),
      description: `Signs the models published to ${props.bucketName}`,
      keySpec: props.signingKeySpec,
    });
    this.accessLogs = SecureBucket.accessLogsFor(this, "AccessLogs", props.bucketName);
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      encryptionKey: this.key,
      accessLogs: { bucket: this.accessLogs, prefix: "model-store/" },
      objectLock,
      noncurrentVersionExpirationDays,
      tags: { BlueprintRole: "model-store" },
    });
    if (props.delegatedReaderRolePrefix !== undefined) {
      this.key.delegateDecrypt(props.delegatedReaderRolePrefix, this.bucket.s3KeyConditions);
      this.signingKey.delegateVerify(props.delegatedReaderRolePrefix);
      this.delegatedReaderRolePrefix = props.delegatedReaderRolePrefix;
    }

    Guardrails.suppress(
      this.accessLogs.resource,
      "CKV_AWS_144",
      "The model store's access logs are versioned, protected from destroy and kept a year in the store's region; the audit trail keeps the multi-region record of who touched the models",
    );
    if (!props.replication) {
      Guardrails.suppress(
        this.bucket.resource,
        "CKV_AWS_144",
        "Replication is off because no replication was configured (the environment sets no modelStore.replicaRegion, which production environments must); the models are versioned, Object-Locked and protected from destroy",
      );
    } else {
      const replication = this.replicate(
        props.replication,
        objectLock,
        noncurrentVersionExpirationDays,
        keyProps,
        props.replicationRoleName ?? `${props.name}-replication`,
      );
      this.replica = replication.replica;
      this.replicaKey = replication.key;
      this.replicationRole = replication.role;
    }

    this.protect(this.bucket, {
      writers: () => this.trustedWriterArns,
      notificationManagers: () => [...this.notificationManagers],
      writeActions: MODEL_WRITE_ACTIONS,
      tagWriters: () => [...this.publishers, ...this.serviceRoles],
      readers: () => [...this.publishers, props.breakGlassRoleArn, ...this.serviceRoles],
      vpcEndpointIds: props.vpcEndpointIds,
    });
    this.bucket.addToResourcePolicy({
      sid: "DenyUploadsNotSseKms",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:PutObject"],
      resources: [this.bucket.arnForObjects()],
      // Only a request that names its encryption is judged: one that names none gets the bucket's default (the
      // store's key), and UploadPart, which carries no encryption header, must pass for multipart uploads.
      conditions: {
        Null: { "s3:x-amz-server-side-encryption": false },
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
      },
    });
    this.bucket.addToResourcePolicy({
      sid: "DenyUploadsUnderOtherKeys",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:PutObject"],
      resources: [this.bucket.arnForObjects()],
      conditions: {
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": false },
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": this.key.arn },
      },
    });

    for (const publisher of props.publishers) this.grantPublish(publisher, props.publishPrefix ?? "");
  }

  /** The bucket's name. */
  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** The bucket's ARN. */
  public get arn(): string {
    return this.bucket.arn;
  }

  /** The ARNs of the principals that may write objects. */
  public get publisherArns(): string[] {
    return [...this.publishers];
  }

  /** The publishers and the service roles that may put objects: writes by anyone else are tampering. */
  public get trustedWriterArns(): string[] {
    return [...new Set([...this.publishers, ...this.serviceWriters])];
  }

  /**
   * Lets a principal read the models under a prefix: `s3:GetObject` and `s3:GetObjectVersion` there, `s3:ListBucket`
   * for that prefix only, `kms:Decrypt` only via S3 in this region and only for this bucket, and `kms:Verify` with the
   * signing key. Reads still come through the VPC endpoint only. A {@link Grantable} principal gets the S3 rights in
   * its own policy; an ARN gets them in the bucket policy (changing it afterwards takes the break-glass role).
   * @param prefix - e.g. `models/fraud/`; `""` for the whole store
   */
  public grantRead(principal: PrincipalLike | Grantable, prefix: string): void {
    checkModelPrefix(this.node.path, "prefix", prefix);
    this.bucket.grantRead(principal, prefix);
    this.signingKey.grantVerify(principalArn(principal));
  }

  /**
   * Lets a principal publish models under a prefix: put (and finish or abort multipart uploads), read back and list
   * there; generate data keys under the store's key only via S3 in this region and only for this bucket; sign with the
   * signing key. The principal joins the publishers, the only principals that may write objects.
   * @param prefix - e.g. `models/fraud/`; `""` for the whole store
   */
  public grantPublish(principal: PrincipalLike | Grantable, prefix: string): void {
    checkModelPrefix(this.node.path, "prefix", prefix);
    checkRoleArn(this.node.path, "principal", principalArn(principal));
    this.publishers.add(principalArn(principal));
    this.bucket.grantObjects("Publish", principal, PUBLISH_GRANT_ACTIONS, prefix);
    this.key.grantGenerateDataKey(principalArn(principal), this.bucket.s3KeyConditions);
    this.signingKey.grantSign(principalArn(principal));
  }

  /**
   * Exempts a service role the blueprint sets up for the store (malware scanning) from the VPC-endpoint read rule
   * and lets it write object tags. It gets no rights from this: its own policy grants them.
   */
  public admitServiceRole(role: PrincipalLike, access: ServiceRoleAccess = {}): void {
    this.serviceRoles.add(principalArn(role));
    if (access.writesObjects) this.serviceWriters.add(principalArn(role));
    if (access.managesNotifications) this.notificationManagers.add(principalArn(role));
  }

  /** The denials the store and its replica share; `writers` and friends are read at synth (grants come later). */
  private protect(
    bucket: SecureBucket,
    rules: {
      writers: () => string[];
      notificationManagers: () => string[];
      writeActions: readonly string[];
      tagWriters: () => string[];
      readers: () => string[];
      vpcEndpointIds: readonly string[];
    },
  ): void {
    const objects = bucket.arnForObjects();
    const exceptFor = (principals: () => string[]) => [...new Set(principals())];
    bucket.addDeferredToResourcePolicy(() => ({
      sid: "DenyObjectWritesByOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: rules.writeActions,
      resources: [objects],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": exceptFor(rules.writers) } },
    }));
    bucket.addDeferredToResourcePolicy(() => ({
      sid: "DenyTagWritesByOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: MODEL_TAG_ACTIONS,
      resources: [objects],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": exceptFor(rules.tagWriters) } },
    }));
    bucket.addDeferredToResourcePolicy(() => ({
      // Without endpoints (the replica, in a region without the VPC) reads are the exempt principals' alone.
      sid: rules.vpcEndpointIds.length > 0 ? "DenyReadsOutsideVpcEndpoint" : "DenyReadsByOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: MODEL_READ_ACTIONS,
      resources: [bucket.arn, objects],
      conditions: {
        ...(rules.vpcEndpointIds.length > 0 ? { StringNotEquals: { "aws:SourceVpce": rules.vpcEndpointIds } } : {}),
        ArnNotEquals: { "aws:PrincipalArn": exceptFor(rules.readers) },
      },
    }));
    bucket.addToResourcePolicy({
      sid: "DenyDestructiveChangesByOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: MODEL_PROTECTED_ACTIONS,
      resources: [bucket.arn, objects],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": this.breakGlassRoleArn } },
    });
    bucket.addDeferredToResourcePolicy(() => ({
      sid: "DenyNotificationChangesByOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["s3:PutBucketNotification"],
      resources: [bucket.arn],
      conditions: {
        ArnNotEquals: {
          "aws:PrincipalArn": exceptFor(() => [this.breakGlassRoleArn, ...rules.notificationManagers()]),
        },
      },
    }));
  }

  private replicate(
    replication: ModelStoreReplication,
    objectLock: ObjectLockRetention,
    noncurrentVersionExpirationDays: number,
    keyProps: NonNullable<ModelStoreProps["keys"]>,
    replicationRoleName: string,
  ): { replica: SecureBucket; key: KmsKey; role: IamRole } {
    const context = AwsContext.of(this);
    const region = replication.region;
    const key = new KmsKey(this, "ReplicaKey", {
      ...keyProps,
      region,
      alias: `${this.name}-replica`,
      description: `Encrypts the replica ${replication.bucketName} of ${this.bucket.bucketName}`,
    });
    const logs = SecureBucket.accessLogsFor(this, "ReplicaAccessLogs", replication.bucketName, region);
    Guardrails.suppress(
      logs.resource,
      "CKV_AWS_144",
      "The replica's access logs stay in the replica's region by S3's design; they are versioned, protected from destroy and kept a year",
    );
    const replica = new SecureBucket(this, "Replica", {
      region,
      bucketName: replication.bucketName,
      encryptionKey: key,
      accessLogs: { bucket: logs, prefix: "model-store-replica/" },
      objectLock,
      noncurrentVersionExpirationDays,
      tags: { BlueprintRole: "model-store-replica" },
    });

    const roleName = replicationRoleName;
    const { role } = createServiceRole(this, {
      roleId: "ReplicationRole",
      policyId: "ReplicationPolicy",
      name: roleName,
      description: `S3 replication of ${this.bucket.bucketName} to ${replication.bucketName}`,
      service: "s3.amazonaws.com",
      trustSid: "S3Replication",
      sourceArn: { like: this.bucket.arn },
      policyName: "replication",
      statements: [
        {
          sid: "ReadSourceConfiguration",
          actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          resources: [this.bucket.arn],
        },
        {
          sid: "ReadSourceVersions",
          actions: [
            "s3:GetObjectVersionForReplication",
            "s3:GetObjectVersionAcl",
            "s3:GetObjectVersionTagging",
            "s3:GetObjectRetention",
            "s3:GetObjectLegalHold",
          ],
          resources: [this.bucket.arnForObjects()],
        },
        {
          sid: "WriteReplicas",
          actions: ["s3:ReplicateObject", "s3:ReplicateTags"],
          resources: [replica.arnForObjects()],
        },
      ],
    });
    const roleArn = context.iamArn(`role/${roleName}`);
    this.key.grantDecrypt(roleArn, this.bucket.s3KeyConditions);
    key.grantEncrypt(roleArn, { viaService: "s3", encryptionContext: { "aws:s3:arn": replica.arn } });
    this.admitServiceRole(roleArn);

    Guardrails.suppress(
      replica.resource,
      "CKV_AWS_144",
      "This bucket is the cross-region replica of the model store; replicating the replica would add a third copy, not protection",
    );
    const configuration = new S3BucketReplicationConfigurationA(this, "Replication", {
      bucket: this.bucket.resource.id,
      role: role.arn,
      rule: [
        {
          id: "replicate-every-version",
          status: "Enabled",
          filter: {},
          // Deletes stay in the source: a replica exists to survive them.
          deleteMarkerReplication: { status: "Disabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: replica.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: key.arn },
          },
        },
      ],
      dependsOn: [this.bucket.versioning, replica.versioning],
    });
    this.bucket.addPolicyDependency(configuration);

    this.protect(replica, {
      writers: () => [roleArn],
      notificationManagers: () => [],
      writeActions: ["s3:PutObject", "s3:ReplicateObject", "s3:ReplicateDelete"],
      tagWriters: () => [roleArn],
      readers: () => [this.breakGlassRoleArn, roleArn],
      vpcEndpointIds: [],
    });
    return { replica, key, role };
  }
}
