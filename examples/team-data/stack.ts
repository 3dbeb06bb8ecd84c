import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// The package's entry points by concern (the root exports both): under this template's CommonJS module resolution,
// TypeScript finds their declaration files through the package's typesVersions.
import { KmsKey, PermissionsBoundary, SecureBucket, WorkloadRole } from "secure-model-deployment-blueprint/constructs";
import { Guardrails } from "secure-model-deployment-blueprint/policies";

/** What the team decides, and what the platform team hands over (account, boundary, cluster). */
export interface TeamDataConfig {
  /** The region of the data, the platform's. */
  readonly region: string;
  /** The only account this stack may be applied to. */
  readonly accountId: string;
  /** Who owns the data and how it is classified: every resource is tagged with both. */
  readonly tags: { readonly owner: string; readonly dataClassification: string };
  /** The team's own remote state: an S3 bucket, its KMS key, and the stack's key in it. */
  readonly state: { readonly bucket: string; readonly key: string; readonly kmsKeyId: string };
  /** The permissions boundary every role of the account's pipelines carries (the platform's deploy boundary). */
  readonly permissionsBoundaryArn: string;
  /** The data bucket's name (global); its access logs go to `<name>-access-logs`. */
  readonly dataBucketName: string;
  /** The platform's cluster, and the namespace and service account the team's jobs run as there. */
  readonly cluster: { readonly name: string; readonly namespace: string; readonly serviceAccount: string };
  /** The jobs' role: under the platform's name prefix for app roles, so that its boundary and alerts apply. */
  readonly jobRoleName: string;
}

/**
 * A team's secure storage for its own data, on a shared platform: a customer-managed key, an encrypted, versioned,
 * logged, never-public bucket, and the pod identity of the team's jobs, which may read and write `datasets/` and
 * nothing else. Every control comes from the library's defaults; the guardrails check the stack on every synth.
 */
export class TeamDataStack extends TerraformStack {
  public readonly key: KmsKey;
  public readonly bucket: SecureBucket;
  public readonly jobRole: WorkloadRole;

  constructor(scope: Construct, id: string, config: TeamDataConfig) {
    super(scope, id);
    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [
        { tags: { Owner: config.tags.owner, DataClassification: config.tags.dataClassification, Stack: id } },
      ],
    });
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key,
      region: config.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyId,
    });
    // cdktf 0.21's S3Backend has no useLockfile: S3-native state locking (Terraform 1.10+) is an override.
    this.addOverride("terraform.backend.s3.use_lockfile", true);
    // The guardrails for an app team's stack on a shared platform; PermissionsBoundary gives every role the boundary.
    Guardrails.applyTo(this, { profile: "workload" });
    PermissionsBoundary.applyTo(this, config.permissionsBoundaryArn);

    this.key = new KmsKey(this, "DataKey", {
      alias: `${config.dataBucketName}`,
      description: `Encrypts ${config.dataBucketName}`,
    });
    const accessLogs = SecureBucket.accessLogsFor(this, "AccessLogs", config.dataBucketName);
    this.bucket = new SecureBucket(this, "Data", {
      bucketName: config.dataBucketName,
      encryptionKey: this.key,
      accessLogs: { bucket: accessLogs, prefix: "datasets/" },
    });
    // checkov's CKV_AWS_144 asks every bucket for cross-region replication: say why these have none.
    Guardrails.suppress(
      this.bucket.resource,
      "CKV_AWS_144",
      "The team's datasets are rebuilt from the upstream warehouse by the feature-builder job; versions are kept 90 days and the bucket is protected from destroy",
    );
    Guardrails.suppress(
      accessLogs.resource,
      "CKV_AWS_144",
      "Access logs stay in the bucket's region by S3's design; they are versioned, kept a year and protected from destroy",
    );

    // The pod identity of the team's jobs on the platform's cluster: only pods of this namespace and service
    // account get its credentials.
    const cluster = new DataAwsEksCluster(this, "Cluster", { name: config.cluster.name });
    this.jobRole = new WorkloadRole(this, "JobRole", {
      roleName: config.jobRoleName,
      cluster: { clusterName: cluster.name, clusterArn: cluster.arn },
      namespace: config.cluster.namespace,
      serviceAccount: config.cluster.serviceAccount,
    });
    this.bucket.grantReadWrite(this.jobRole, "datasets/");

    new TerraformOutput(this, "data_bucket", { value: this.bucket.bucketName });
    new TerraformOutput(this, "data_key_arn", { value: this.key.arn });
    new TerraformOutput(this, "job_role_arn", { value: this.jobRole.arn });
  }
}
