import { ValidationError } from "../constructs/core/validation";
import { checkRepository } from "../constructs/identity/github-actions-role";
import { checkLogRetention } from "../constructs/logging/encrypted-log-group";
import {
  checkAvailabilityZones,
  checkEgressMode,
  checkVpcCidr,
  type EgressMode,
  type SubnetCidrs,
} from "../constructs/network/subnet-layout";
import {
  ACCOUNT_SERVICE_MODES,
  type AccountServiceMode,
  SERVICE_LINKED_ROLE_MODES,
  type ServiceLinkedRoles,
} from "../constructs/detection/account-guardrails";
import { checkEmail, checkGuardDutySeverity } from "../constructs/detection/security-alerts";
import { checkCpuInstanceTypes, checkGpuInstanceTypes } from "../constructs/cluster/instance-types";
import { checkKubernetesVersion } from "../constructs/cluster/kubernetes-versions";
import { type CapacityType, checkNodePool, type NodeScaling } from "../constructs/cluster/managed-node-group";
import {
  CLUSTER_ACCESS_POLICIES,
  type ClusterAccessPolicy,
  checkPublicEndpointCidrs,
} from "../constructs/cluster/secure-eks-cluster";
import { MIN_GPU_ROOT_VOLUME_GIB } from "../constructs/cluster/gpu-node-group";
import { MIN_SYSTEM_ROOT_VOLUME_GIB } from "../constructs/cluster/system-node-group";
import { checkKubernetesGroup, checkKubernetesName } from "../constructs/core/kubernetes-names";
import { checkIntegerInRange, checkLowercaseName } from "../constructs/core/validation";
import {
  type ContainerResources,
  checkContainerResources,
  NODE_PORT_RANGE,
  type ReplicaBounds,
} from "../constructs/kubernetes/inference-service";
import { DEVICE_PLUGIN_NAMESPACE } from "../constructs/kubernetes/nvidia-device-plugin";
import { checkCountryCodes } from "../constructs/edge/country-codes";
import {
  API_AUTHORIZATIONS,
  type ApiAuthorization,
  type ApiCache,
  type ApiConsumer,
  type ApiCustomDomain,
  checkTiers,
  type UsageTier,
} from "../constructs/edge/inference-api";
import { checkThresholds, type InferenceAlarmThresholds } from "../constructs/edge/inference-alarms";
import { checkBodyLimit, checkEvaluationWindow, checkRateLimit } from "../constructs/edge/web-acl";
import type { NamespaceQuota } from "../constructs/kubernetes/secure-namespace";
import { PULL_THROUGH_UPSTREAMS, type PullThroughUpstream } from "../constructs/registry/container-registry";
import { checkModelPrefix, checkModelVersion } from "../constructs/storage/model-store";
import {
  checkBucketName,
  checkLogBucketRoom,
  checkObjectLock,
  type ObjectLockRetention,
} from "../constructs/storage/secure-bucket";

/** How sensitive the data an environment serves is; drives defaults and is applied as a tag. */
export type DataClassification = "internal" | "confidential" | "restricted";
export const DATA_CLASSIFICATIONS: readonly DataClassification[] = ["internal", "confidential", "restricted"];

/** Tags every AWS resource of an environment carries, through the provider's `default_tags`. */
export interface EnvironmentTags {
  /** Team or person accountable for the environment, e.g. `ml-platform@example.com`. */
  readonly owner: string;
  /** Data classification of what the models see. */
  readonly dataClassification: DataClassification;
  /** Cost centre that pays for the environment. */
  readonly costCentre: string;
}

/** Where a stack's Terraform state lives. */
export interface StateConfig {
  /** S3 bucket holding the state (created by the `bootstrap` stack). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /** KMS key (ARN or `alias/...`) that encrypts state objects. */
  readonly kmsKeyId: string;
  /** Prefix of every state key; a stack's key is `<keyPrefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

/** An environment's network: see `SecureVpc`. */
export interface NetworkConfig {
  /** How the VPC reaches the internet: `none` (endpoints only), `nat` (a NAT gateway per zone) or `single-nat`. */
  readonly egress: EgressMode;
  /** Days to keep VPC flow logs: one of CloudWatch Logs' periods; production needs 365 or more. */
  readonly flowLogRetentionInDays: number;
  /** Subnet CIDRs per tier. Default: derived from `vpcCidr`. */
  readonly subnetCidrs?: SubnetCidrs;
}

/** How GitHub Actions deploys the environment: see the `bootstrap` stack. */
export interface CiConfig {
  /** The GitHub repository, `owner/name`, whose pull requests may plan and whose `<env>` environment may apply. */
  readonly repository: string;
  /**
   * `create`: the bootstrap stack creates the account's GitHub OIDC provider; `existing`: another environment's
   * bootstrap in the same account did (an account has one provider per issuer).
   */
  readonly oidcProvider: "create" | "existing";
}

/** An environment's model store: see `ModelStore`. */
export interface ModelStoreConfig {
  /** The model bucket's name (global, at most 51 characters); its access logs go to `<bucketName>-access-logs`. */
  readonly bucketName: string;
  /** Object Lock of every new model version: `GOVERNANCE` (the break-glass role may lift it) or `COMPLIANCE` (nobody may), for 1 to 3650 days. */
  readonly objectLock: ObjectLockRetention;
  /** Days a replaced model version is kept: at least `objectLock.days`, at most 3650. */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * Region of a replica of the store (bucket `<bucketName>-replica`, its own key); production needs one. Default: no
   * replica.
   */
  readonly replicaRegion?: string;
  /**
   * The break-glass role: the only principal that may delete model versions, lift retention or change the store's
   * protections. Created and guarded outside the blueprint (e.g. an IAM Identity Center permission set). Default:
   * `arn:aws:iam::<account>:role/<namePrefix>-break-glass`.
   */
  readonly breakGlassRoleArn?: string;
  /** Key prefix models are published under, e.g. `models/`. */
  readonly publishPrefix: string;
  /**
   * Name prefix of app teams' workload roles that may read models through the store's keys when their own policies
   * say so (`ModelStoreReference.grantRead` in the team's stack): the keys delegate decrypt-via-S3 and verify to this
   * family of roles alone. Under the environment's prefix, e.g. `<namePrefix>-app-`, and apart from its `-ci-`,
   * `-svc-` and `-model-` roles. Default: none (only the environment's own model roles read).
   */
  readonly appReaderRolePrefix?: string;
}

/** An environment's container registry: see `ContainerRegistry`. */
export interface RegistryConfig {
  /** Repositories, `<namePrefix>/<name>`: the inference images and the images the blueprint copies in. */
  readonly repositories: readonly string[];
  /** Public registries mirrored through ECR's pull-through cache (`ecr-public`, `k8s`, `quay`). */
  readonly pullThroughCache: readonly PullThroughUpstream[];
  /** Days an untagged image is kept: 1 to 365. */
  readonly untaggedImageExpirationDays: number;
}

/** An environment account's threat detection, audit trail and alerts: see the `baseline` stack. */
export interface DetectionConfig {
  /** Email addresses subscribed to the security alert topic (each confirms by a link AWS mails). */
  readonly alertEmails: readonly string[];
  /** GuardDuty findings of this severity or more alert: 1 to 10 (Medium 4, High 7, Critical 9). */
  readonly guardDutyAlertSeverity: number;
  /** The audit trail's bucket (global, at most 51 characters). */
  readonly auditBucketName: string;
  /** Object Lock of every audit log file; production needs 365 days or more. */
  readonly auditLogLock: ObjectLockRetention;
  /** Days the trail's CloudWatch log group keeps events: one of CloudWatch Logs' periods, 365 or more. */
  readonly auditLogRetentionInDays: number;
  /** Roles that may read (decrypt) the audit logs, e.g. incident response. Default: none. */
  readonly auditReaderArns?: readonly string[];
  /** Security Hub (FSBP and CIS): `enable`, or `managed-by-organization` where a delegated administrator does. */
  readonly securityHub: AccountServiceMode;
  /** AWS Config: `enable`, or `managed-by-organization`. */
  readonly awsConfig: AccountServiceMode;
  /** AWS Config's bucket (global, at most 51 characters), when `awsConfig` is `enable`. */
  readonly configBucketName: string;
  /** `create` the Auto Scaling and AWS Config service-linked roles, or use the `existing` ones (an account has one of each). */
  readonly serviceLinkedRoles: ServiceLinkedRoles;
}

/** One IAM role's access to the cluster's Kubernetes API: see `SecureEksCluster`. */
export interface ClusterAccessConfig {
  /** The role: its name in the environment's account (`smd-dev-platform-admin`) or its ARN. It must exist before the cluster's access entry is created. */
  readonly role: string;
  /** `cluster-admin`, `admin`, `edit` or `view` (EKS's access policies of those names). Default: none (RBAC only, through `kubernetesGroups`). */
  readonly policy?: ClusterAccessPolicy;
  /** Namespaces the policy holds in (not with `cluster-admin`). Default: the whole cluster. */
  readonly namespaces?: readonly string[];
  /** Kubernetes groups the role is mapped to, for RBAC bindings (a namespace's `readerGroups`). Default: none. */
  readonly kubernetesGroups?: readonly string[];
}

/** One managed node group: see `SystemNodeGroup` and `GpuNodeGroup`. */
export interface NodePoolConfig {
  /** Instance types: general-purpose x86_64 for system nodes, NVIDIA GPU types for GPU nodes. */
  readonly instanceTypes: readonly string[];
  /** How many nodes: `0 <= minSize <= desiredSize <= maxSize`, `maxSize >= 1`. */
  readonly scaling: NodeScaling;
  /** `ON_DEMAND` or `SPOT`. */
  readonly capacityType: CapacityType;
  /** Root volume size in GiB: at least 20 for system nodes, 50 for GPU nodes. */
  readonly rootVolumeSizeGiB: number;
}

/** An environment's EKS cluster: see `SecureEksCluster`. */
export interface ClusterConfig {
  /** Kubernetes version: one of the versions the blueprint supports (`SUPPORTED_KUBERNETES_VERSIONS`). */
  readonly kubernetesVersion: string;
  /** Days the control-plane logs are kept: one of CloudWatch Logs' periods; production needs 365 or more. */
  readonly logRetentionInDays: number;
  /**
   * Opens the API server to the internet for these CIDRs, besides the VPC: an explicit opt-out of the private-only
   * endpoint; never `0.0.0.0/0`. Default: private endpoint only.
   */
  readonly publicEndpointCidrs?: readonly string[];
  /** Who may use the Kubernetes API, and how: an admin role and a read-only role, typically. */
  readonly access: readonly ClusterAccessConfig[];
  /** The CPU node group for cluster services. */
  readonly systemNodes: NodePoolConfig;
  /** The GPU node group for inference. */
  readonly gpuNodes: NodePoolConfig;
}

/** A namespace of the workloads stack: see `SecureNamespace`. */
export interface NamespaceConfig {
  /** The namespace's name. */
  readonly name: string;
  /** What its pods may use in all: it must hold every model served in it at full scale, plus one pod each for rollouts. */
  readonly quota: NamespaceQuota;
  /** Kubernetes groups bound to its read-only `model-reader` Role (get and list pods). Default: none. */
  readonly readerGroups?: readonly string[];
}

/** The Kubernetes side of an environment: see the `workloads-<env>` stack. */
export interface WorkloadsConfig {
  /** The namespaces the models run in (restricted, default-deny, with quotas). */
  readonly namespaces: readonly NamespaceConfig[];
  /** NVIDIA's device plugin, as copied into the registry: `nvidia/k8s-device-plugin@sha256:<digest>`. */
  readonly devicePluginImage: string;
  /**
   * The image every inference pod verifies its model's signature with (the AWS CLI v2), through the registry's
   * pull-through cache and pinned by digest: `cache/ecr-public/aws-cli/aws-cli@sha256:<digest>`.
   */
  readonly modelVerifierImage: string;
}

/** A model the environment serves: its own pod identity, reading only its own prefix of the model store. */
export interface ModelConfig {
  /**
   * The model's name: a Kubernetes name of at most 36 characters. It names the service account of its inference
   * service and the IAM role `<namePrefix>-model-<name>`.
   */
  readonly name: string;
  /** Where its files are in the model store, under `modelStore.publishPrefix`, e.g. `models/fraud-detection/`. */
  readonly modelPrefix: string;
  /**
   * The version served: the folder `<modelPrefix><version>/` that the model release workflow published and signed.
   * Its pods verify the signature before the server starts; promoting a version is changing this.
   */
  readonly version: string;
  /** The Kubernetes namespace its inference service runs in: one of `workloads.namespaces`. */
  readonly namespace: string;
  /** The model server's image in the environment's registry, pinned by digest: `inference@sha256:<64 hex digits>`. */
  readonly image: string;
  /** The model server's HTTP port in its container: 1024 to 65535. */
  readonly port: number;
  /** The NodePort the load balancer targets: 30000 to 32767, one per model. */
  readonly nodePort: number;
  /** Replicas the autoscaler keeps the service between; the GPU node group must have a GPU for each at `max`. */
  readonly replicas: ReplicaBounds;
  /** The model server's requests and limits, GPUs included (`gpu`, equal in both). */
  readonly resources: ContainerResources;
}

/** An environment's inference edge: see `InferenceApi`, `WebAcl`, `InferenceLoadBalancer` and `InferenceAlarms`. */
export interface EdgeConfig {
  /** How callers authenticate: `cognito` (OAuth2 client credentials, scope `inference/invoke`) or `iam` (SigV4). */
  readonly authorization: ApiAuthorization;
  /** The Cognito token endpoint's domain prefix, unique in the region (with `cognito`). Default: `<namePrefix>-inference`. */
  readonly cognitoDomainPrefix?: string;
  /** Usage plans by tier: rate and burst per API key, and a daily quota per API key. */
  readonly tiers: Readonly<Record<string, UsageTier>>;
  /** The callers: an API key each (and a Cognito app client), in one tier. */
  readonly consumers: readonly ApiConsumer[];
  /** Stage-wide throttling across every caller: requests per second and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Execution logging: `ERROR` or `INFO`. */
  readonly loggingLevel: "ERROR" | "INFO";
  /** Days the API's and the WAF's logs are kept: one of CloudWatch Logs' periods; production needs 365 or more. */
  readonly logRetentionInDays: number;
  /** The web ACL: requests per client IP per window (10 or more), the window, the largest body, a country allowlist. */
  readonly waf: {
    readonly rateLimit: number;
    readonly evaluationWindowSeconds?: number;
    readonly maxBodyBytes: number;
    readonly allowedCountries?: readonly string[];
  };
  /** When the edge's alarms notify the security alert topic. */
  readonly alarms: InferenceAlarmThresholds;
  /** The bucket the load balancer's access logs go to (global, at most 63 characters). */
  readonly logBucketName: string;
  /** A custom domain with a TLS 1.2 policy; the default execute-api endpoint is then disabled. Default: none. */
  readonly customDomain?: ApiCustomDomain;
  /** The stage's response cache, encrypted. Default: none. */
  readonly cache?: ApiCache;
}

/** One deployment environment, e.g. `dev` or `prod`. Every field is validated when the environment is loaded. */
export interface EnvironmentConfig {
  /** Environment name: lowercase letters and digits, 2 to 12 characters; names the `platform-<name>` stack. */
  readonly name: string;
  /** Whether this environment serves production traffic; production gets the stricter checks. */
  readonly production: boolean;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** The only AWS account Terraform may touch for this environment (12 digits); the provider refuses any other. Default: not pinned. */
  readonly accountId?: string;
  /** Availability zones to spread across, by name (`eu-west-1a`): 2 to 6 of the environment's region; production needs 3 or more. */
  readonly availabilityZones: readonly string[];
  /** VPC CIDR: a private (RFC 1918) IPv4 range with a prefix from /16 to /24. */
  readonly vpcCidr: string;
  /** Prefix of every resource name: lowercase letters, digits and hyphens, 2 to 20 characters. */
  readonly namePrefix: string;
  /** The VPC's egress, flow-log retention and, optionally, explicit subnet CIDRs. */
  readonly network: NetworkConfig;
  /** Tags applied to every resource. */
  readonly tags: EnvironmentTags;
  /** Remote state location. */
  readonly state: StateConfig;
  /** The GitHub repository and OIDC provider of the deploy pipeline. */
  readonly ci: CiConfig;
  /** Extra administrators of the environment's KMS keys (IAM role ARNs), besides the deploying role. Default: none. */
  readonly keyAdministratorArns?: readonly string[];
  /** Days a KMS key scheduled for deletion waits: 7 to 30; production needs 30. */
  readonly keyDeletionWindowInDays: number;
  /** The model store: bucket, Object Lock, version retention, replica, break-glass role. */
  readonly modelStore: ModelStoreConfig;
  /** The container registry: repositories and pull-through cache. */
  readonly registry: RegistryConfig;
  /** GuardDuty, the audit trail, the alerts and the account guardrails. */
  readonly detection: DetectionConfig;
  /** The EKS cluster, its access and its node groups. */
  readonly cluster: ClusterConfig;
  /** The models the environment serves. */
  readonly models: readonly ModelConfig[];
  /** The namespaces and cluster services of the workloads stack. */
  readonly workloads: WorkloadsConfig;
  /** The inference API, its web ACL, its load balancer and its alarms. */
  readonly edge: EdgeConfig;
}

/** Name of the environment `npm run synth` builds when none is chosen. */
export const DEFAULT_ENVIRONMENT = "dev";

/** The registry both shipped environments use: the inference image, NVIDIA's device plugin, three cached upstreams. */
const SHIPPED_REGISTRY: RegistryConfig = {
  repositories: ["inference", "nvidia/k8s-device-plugin"],
  pullThroughCache: ["ecr-public", "k8s", "quay"],
  untaggedImageExpirationDays: 14,
};

/**
 * The inference image both shipped environments run: the image publisher's push of the model server, by digest.
 * Replace it with the digest your pipeline pushed (`aws ecr describe-images`).
 */
const SHIPPED_INFERENCE_IMAGE = "inference@sha256:3f9c2b7e4d1a6058e2c7b9d4f0a1e36c58b27d9e4f6a0c3b1d8e5f7a9c2b4d6e";

/** NVIDIA's device plugin v0.17.1 (`nvcr.io/nvidia/k8s-device-plugin:v0.17.1`), copied into the registry by digest. */
const SHIPPED_DEVICE_PLUGIN_IMAGE =
  "nvidia/k8s-device-plugin@sha256:af31e2b7c7f89834c4e5219860def7ac2e49a207b3d4e8610d5a26772b7738e5";

/**
 * The AWS CLI v2.35.11 (`public.ecr.aws/aws-cli/aws-cli:2.35.11`), through the registry's pull-through cache of
 * `public.ecr.aws`, by digest: the model verifier's image.
 */
const SHIPPED_MODEL_VERIFIER_IMAGE =
  "cache/ecr-public/aws-cli/aws-cli@sha256:749bfaf91d690b9a1768083822d620f96c19defdf9ca2dc227eb3695281fda5b";

/** The Kubernetes group whose members may read the inference namespace's pods (the source design's `model-reader`). */
const MODEL_READERS_GROUP = "ai-inference:model-readers";

/** The models both shipped environments serve: the source design's fraud-detection example, sized per environment. */
function shippedModels(replicas: ReplicaBounds, resources: ContainerResources): readonly ModelConfig[] {
  return [
    {
      name: "fraud-detection",
      modelPrefix: "models/fraud-detection/",
      version: "v1",
      namespace: "ai-inference",
      image: SHIPPED_INFERENCE_IMAGE,
      port: 8080,
      nodePort: 30080,
      replicas,
      resources,
    },
  ];
}

/** The edge both shipped environments start from: Cognito clients, two tiers, one consumer. */
function shippedEdge(namePrefix: string, production: boolean): EdgeConfig {
  return {
    authorization: "cognito",
    tiers: {
      standard: { rateLimit: 5, burstLimit: 10, dailyQuota: 5000 },
      partner: { rateLimit: 20, burstLimit: 40, dailyQuota: 50000 },
    },
    consumers: [{ name: "fraud-screening", tier: "standard" }],
    throttle: { rateLimit: production ? 200 : 50, burstLimit: production ? 400 : 100 },
    loggingLevel: production ? "ERROR" : "INFO",
    logRetentionInDays: production ? 731 : 365,
    waf: { rateLimit: 300, maxBodyBytes: 16 * 1024 },
    alarms: {
      serverErrorRate: 0.05,
      p99LatencyMs: 2000,
      clientErrorsPer5Minutes: 100,
      blockedRequestsPer5Minutes: 100,
    },
    logBucketName: `${namePrefix}-edge-logs`,
  };
}

/** Cluster access in the shipped environments: an administrator role and a reader of the inference namespace's pods. */
function shippedAccess(namePrefix: string): readonly ClusterAccessConfig[] {
  return [
    { role: `${namePrefix}-platform-admin`, policy: "cluster-admin" },
    { role: `${namePrefix}-platform-viewer`, kubernetesGroups: [MODEL_READERS_GROUP] },
  ];
}

/** The environments this blueprint ships, hardened by default. Edit names, accounts and buckets for your organisation. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = {
  dev: {
    name: "dev",
    production: false,
    region: "eu-west-1",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    vpcCidr: "10.20.0.0/16",
    network: { egress: "none", flowLogRetentionInDays: 365 },
    namePrefix: "smd-dev",
    tags: { owner: "ml-platform@example.com", dataClassification: "confidential", costCentre: "ml-platform-dev" },
    state: {
      bucket: "smd-terraform-state-dev",
      region: "eu-west-1",
      kmsKeyId: "alias/smd-dev-terraform-state",
      keyPrefix: "secure-model-deployment",
    },
    ci: { repository: "example-org/secure-model-deployment", oidcProvider: "create" },
    keyDeletionWindowInDays: 30,
    modelStore: {
      bucketName: "smd-dev-models",
      objectLock: { mode: "GOVERNANCE", days: 30 },
      noncurrentVersionExpirationDays: 90,
      publishPrefix: "models/",
      appReaderRolePrefix: "smd-dev-app-",
    },
    registry: SHIPPED_REGISTRY,
    detection: {
      alertEmails: ["security@example.com"],
      guardDutyAlertSeverity: 7,
      auditBucketName: "smd-dev-audit-trail",
      auditLogLock: { mode: "GOVERNANCE", days: 90 },
      auditLogRetentionInDays: 365,
      securityHub: "enable",
      awsConfig: "enable",
      configBucketName: "smd-dev-aws-config",
      serviceLinkedRoles: "create",
    },
    cluster: {
      kubernetesVersion: "1.35",
      logRetentionInDays: 365,
      access: shippedAccess("smd-dev"),
      systemNodes: {
        instanceTypes: ["m7i.large", "m6i.large"],
        scaling: { minSize: 2, desiredSize: 2, maxSize: 3 },
        capacityType: "ON_DEMAND",
        rootVolumeSizeGiB: 30,
      },
      gpuNodes: {
        instanceTypes: ["g6.xlarge", "g5.xlarge"],
        scaling: { minSize: 1, desiredSize: 1, maxSize: 2 },
        capacityType: "ON_DEMAND",
        rootVolumeSizeGiB: 100,
      },
    },
    models: shippedModels(
      { min: 1, max: 1 },
      { requests: { cpu: "2", memory: "8Gi", gpu: 1 }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } },
    ),
    workloads: {
      namespaces: [
        {
          name: "ai-inference",
          quota: { cpu: "8", memory: "32Gi", gpu: 2, pods: 10 },
          readerGroups: [MODEL_READERS_GROUP],
        },
      ],
      devicePluginImage: SHIPPED_DEVICE_PLUGIN_IMAGE,
      modelVerifierImage: SHIPPED_MODEL_VERIFIER_IMAGE,
    },
    edge: shippedEdge("smd-dev", false),
  },
  prod: {
    name: "prod",
    production: true,
    region: "eu-west-1",
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    vpcCidr: "10.30.0.0/16",
    network: { egress: "none", flowLogRetentionInDays: 365 },
    namePrefix: "smd-prod",
    tags: { owner: "ml-platform@example.com", dataClassification: "restricted", costCentre: "ml-platform-prod" },
    state: {
      bucket: "smd-terraform-state-prod",
      region: "eu-west-1",
      kmsKeyId: "alias/smd-prod-terraform-state",
      keyPrefix: "secure-model-deployment",
    },
    ci: { repository: "example-org/secure-model-deployment", oidcProvider: "create" },
    keyDeletionWindowInDays: 30,
    modelStore: {
      bucketName: "smd-prod-models",
      objectLock: { mode: "GOVERNANCE", days: 90 },
      noncurrentVersionExpirationDays: 365,
      replicaRegion: "eu-central-1",
      publishPrefix: "models/",
    },
    registry: SHIPPED_REGISTRY,
    detection: {
      alertEmails: ["security@example.com"],
      guardDutyAlertSeverity: 4,
      auditBucketName: "smd-prod-audit-trail",
      auditLogLock: { mode: "COMPLIANCE", days: 365 },
      auditLogRetentionInDays: 731,
      securityHub: "enable",
      awsConfig: "enable",
      configBucketName: "smd-prod-aws-config",
      serviceLinkedRoles: "create",
    },
    cluster: {
      kubernetesVersion: "1.35",
      logRetentionInDays: 731,
      access: shippedAccess("smd-prod"),
      systemNodes: {
        instanceTypes: ["m7i.large", "m6i.large"],
        scaling: { minSize: 3, desiredSize: 3, maxSize: 6 },
        capacityType: "ON_DEMAND",
        rootVolumeSizeGiB: 30,
      },
      gpuNodes: {
        instanceTypes: ["g6e.xlarge", "g6e.2xlarge"],
        scaling: { minSize: 2, desiredSize: 2, maxSize: 6 },
        capacityType: "ON_DEMAND",
        rootVolumeSizeGiB: 200,
      },
    },
    models: shippedModels(
      { min: 2, max: 4 },
      { requests: { cpu: "2", memory: "16Gi", gpu: 1 }, limits: { cpu: "3", memory: "24Gi", gpu: 1 } },
    ),
    workloads: {
      namespaces: [
        {
          name: "ai-inference",
          quota: { cpu: "24", memory: "160Gi", gpu: 6, pods: 20 },
          readerGroups: [MODEL_READERS_GROUP],
        },
      ],
      devicePluginImage: SHIPPED_DEVICE_PLUGIN_IMAGE,
      modelVerifierImage: SHIPPED_MODEL_VERIFIER_IMAGE,
    },
    edge: shippedEdge("smd-prod", true),
  },
};

/** The names of an environment's pipeline roles and boundary (the workflows name the roles too). */
export function ciNames(env: Pick<EnvironmentConfig, "namePrefix">) {
  return {
    planRole: `${env.namePrefix}-ci-plan`,
    applyRole: `${env.namePrefix}-ci-apply`,
    boundary: `${env.namePrefix}-ci-boundary`,
    /** Publishes models (writes the model store, signs): runs in the `<env>-model-release` GitHub environment. */
    modelPublisherRole: `${env.namePrefix}-ci-model-publisher`,
    /** Pushes container images: runs in the `<env>-image-release` GitHub environment. */
    imagePublisherRole: `${env.namePrefix}-ci-image-publisher`,
    /** Roles whose names start with this are the pipeline's own: nothing under the boundary may change them. */
    protectedRolePrefix: `${env.namePrefix}-ci-`,
    /**
     * Service roles that resource policies exempt by name: the pipeline may not change whom they trust or delete
     * them (the boundary's `DenyServiceRoleTrustChanges`).
     */
    serviceRolePrefix: `${env.namePrefix}-svc-`,
  };
}

/** The GitHub environments the release roles trust, by role. */
export function releaseEnvironments(env: Pick<EnvironmentConfig, "name">) {
  return { models: `${env.name}-model-release`, images: `${env.name}-image-release` };
}

/** Names of the account-wide resources the `baseline` stack makes and the other stacks refer to. */
export function baselineNames(env: Pick<EnvironmentConfig, "namePrefix">) {
  return {
    /** The SNS topic every security alert goes to. */
    alertTopic: `${env.namePrefix}-security-alerts`,
    /** The role that forwards other regions' security events to the environment's region. */
    alertForwarderRole: `${env.namePrefix}-security-alert-forwarder`,
    /** The multi-region audit trail. */
    auditTrail: `${env.namePrefix}-audit-trail`,
  };
}

/** The model store's name: its keys' aliases are `alias/<name>` and `alias/<name>-signing`. */
export function modelStoreName(env: Pick<EnvironmentConfig, "namePrefix">): string {
  return `${env.namePrefix}-models`;
}

/** The replica bucket of an environment's model store, when it has one. */
export function replicaBucketName(store: Pick<ModelStoreConfig, "bucketName">): string {
  return `${store.bucketName}-replica`;
}

/** Namespaces the workloads stack may not take for models: Kubernetes' own and the device plugin's. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", DEVICE_PLUGIN_NAMESPACE];

const REGION = /^(us|eu|ap|ca|sa|me|af|il|mx|cn|us-gov)-[a-z]+-\d$/;
const NAME = /^[a-z][a-z0-9]{1,11}$/;
const PREFIX = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const KMS_KEY_ID = /^(alias\/[a-zA-Z0-9/_-]+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[a-zA-Z0-9/_-]+)$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Checks every field of an environment and returns it unchanged. Throws a {@link ValidationError} naming the
 * environment, the field, the bad value and what is allowed, on the first problem found.
 */
export function validateEnvironment(env: EnvironmentConfig): EnvironmentConfig {
  const where = `environment "${env.name}"`;
  const fail = (field: string, value: unknown, allowed: string): never => {
    throw new ValidationError(where, field, value, `allowed: ${allowed}`);
  };
  if (!NAME.test(env.name))
    fail("name", env.name, "lowercase letters and digits, 2 to 12 characters, starting with a letter");
  if (typeof env.production !== "boolean") fail("production", env.production, "true or false");
  if (!REGION.test(env.region)) fail("region", env.region, "an AWS region name such as eu-west-1");
  if (env.accountId !== undefined && !/^\d{12}$/.test(env.accountId)) fail("accountId", env.accountId, "12 digits");
  checkAvailabilityZones(where, "availabilityZones", env.availabilityZones);
  for (const zone of env.availabilityZones) {
    if (zone.slice(0, -1) !== env.region) fail("availabilityZones", zone, `zones of the region ${env.region}`);
  }
  if (env.production && env.availabilityZones.length < 3) {
    fail("availabilityZones", env.availabilityZones, "at least 3 zones in a production environment");
  }
  checkVpcCidr(where, "vpcCidr", env.vpcCidr);
  checkEgressMode(where, "network.egress", env.network?.egress);
  checkLogRetention(where, "network.flowLogRetentionInDays", env.network.flowLogRetentionInDays);
  if (env.production && env.network.flowLogRetentionInDays < 365) {
    fail(
      "network.flowLogRetentionInDays",
      env.network.flowLogRetentionInDays,
      "365 or more in a production environment",
    );
  }
  if (!PREFIX.test(env.namePrefix)) {
    fail(
      "namePrefix",
      env.namePrefix,
      "lowercase letters, digits and hyphens, 2 to 20 characters, starting with a letter and not ending with a hyphen",
    );
  }
  for (const field of ["owner", "costCentre"] as const) {
    const value = env.tags?.[field];
    if (typeof value !== "string" || !TAG_VALUE.test(value) || value.trim() !== value) {
      fail(
        `tags.${field}`,
        value,
        "1 to 256 characters of letters, digits, spaces and _ . : / = + - @, no surrounding spaces",
      );
    }
  }
  if (!DATA_CLASSIFICATIONS.includes(env.tags?.dataClassification)) {
    fail("tags.dataClassification", env.tags?.dataClassification, `one of ${DATA_CLASSIFICATIONS.join(", ")}`);
  }
  checkBucketName(where, "state.bucket", env.state?.bucket);
  if (!REGION.test(env.state.region)) fail("state.region", env.state.region, "an AWS region name such as eu-west-1");
  if (!KMS_KEY_ID.test(env.state.kmsKeyId)) {
    fail(
      "state.kmsKeyId",
      env.state.kmsKeyId,
      "a KMS key or alias ARN, or alias/<name>: state is always encrypted with a customer key",
    );
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(env.state.keyPrefix)) {
    fail("state.keyPrefix", env.state.keyPrefix, "1 to 128 letters, digits, _ . -");
  }
  checkRepository(where, "ci.repository", env.ci?.repository);
  if (!["create", "existing"].includes(env.ci.oidcProvider)) {
    fail("ci.oidcProvider", env.ci.oidcProvider, "create or existing");
  }
  for (const arn of env.keyAdministratorArns ?? []) {
    if (!ROLE_ARN.test(arn))
      fail("keyAdministratorArns", arn, "IAM role ARNs such as arn:aws:iam::123456789012:role/key-admin");
  }
  if (
    !Number.isInteger(env.keyDeletionWindowInDays) ||
    env.keyDeletionWindowInDays < 7 ||
    env.keyDeletionWindowInDays > 30
  ) {
    fail("keyDeletionWindowInDays", env.keyDeletionWindowInDays, "a whole number from 7 to 30");
  }
  if (env.production && env.keyDeletionWindowInDays < 30) {
    fail("keyDeletionWindowInDays", env.keyDeletionWindowInDays, "30 in a production environment");
  }
  validateModelStore(env, where, fail);
  validateRegistry(env, fail);
  validateDetection(env, where, fail);
  validateCluster(env, where, fail);
  validateWorkloads(env, where, fail);
  validateModels(env, where, fail);
  validateEdge(env, where, fail);
  return env;
}

/** The ARN of a cluster-access role given by name or ARN (`arn:aws:iam::<account>:role/<name>` for a name). */
export function accessRoleArn(role: string, iamArn: (resource: string) => string): string {
  return role.startsWith("arn:") ? role : iamArn(`role/${role}`);
}

function validateCluster(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const cluster = env.cluster;
  if (typeof cluster !== "object" || cluster === null) fail("cluster", cluster, "a cluster configuration");
  checkKubernetesVersion(where, "cluster.kubernetesVersion", cluster.kubernetesVersion);
  checkLogRetention(where, "cluster.logRetentionInDays", cluster.logRetentionInDays);
  if (env.production && cluster.logRetentionInDays < 365) {
    fail("cluster.logRetentionInDays", cluster.logRetentionInDays, "365 or more in a production environment");
  }
  if (cluster.publicEndpointCidrs !== undefined) {
    checkPublicEndpointCidrs(where, "cluster.publicEndpointCidrs", cluster.publicEndpointCidrs);
  }
  const roles = new Set<string>();
  cluster.access.forEach((entry, i) => {
    const field = `cluster.access[${i}]`;
    if (!(ROLE_ARN.test(entry.role) || /^[\w+=,.@-]{1,64}$/.test(entry.role))) {
      fail(`${field}.role`, entry.role, "an IAM role name or role ARN");
    }
    if (roles.has(entry.role)) fail(`${field}.role`, entry.role, "each role once");
    roles.add(entry.role);
    if (entry.policy !== undefined && !Object.hasOwn(CLUSTER_ACCESS_POLICIES, entry.policy)) {
      fail(`${field}.policy`, entry.policy, Object.keys(CLUSTER_ACCESS_POLICIES).join(", "));
    }
    for (const namespace of entry.namespaces ?? []) checkKubernetesName(where, `${field}.namespaces`, namespace);
    for (const group of entry.kubernetesGroups ?? []) checkKubernetesGroup(where, `${field}.kubernetesGroups`, group);
    if (entry.policy === undefined && (entry.kubernetesGroups ?? []).length === 0) {
      fail(
        `${field}.policy`,
        entry.policy,
        "a policy, or kubernetesGroups that RBAC binds (an entry with neither grants nothing)",
      );
    }
    if (entry.policy === undefined && entry.namespaces !== undefined) {
      fail(`${field}.namespaces`, entry.namespaces, "none without a policy");
    }
  });
  const pools = [
    ["cluster.systemNodes", cluster.systemNodes, MIN_SYSTEM_ROOT_VOLUME_GIB],
    ["cluster.gpuNodes", cluster.gpuNodes, MIN_GPU_ROOT_VOLUME_GIB],
  ] as const;
  for (const [field, pool, minimumVolume] of pools) {
    if (typeof pool !== "object" || pool === null) fail(field, pool, "a node group configuration");
    if (field === "cluster.gpuNodes") checkGpuInstanceTypes(where, `${field}.instanceTypes`, pool.instanceTypes);
    else checkCpuInstanceTypes(where, `${field}.instanceTypes`, pool.instanceTypes, "x86_64");
    checkNodePool(where, `${field}.`, pool, minimumVolume);
  }
}

function validateModels(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  if (!Array.isArray(env.models)) fail("models", env.models, "a list of models");
  const names = new Set<string>();
  env.models.forEach((model, i) => {
    const field = `models[${i}]`;
    checkKubernetesName(where, `${field}.name`, model.name);
    if (model.name.length > 36) {
      fail(
        `${field}.name`,
        model.name,
        `at most 36 characters, so that the role ${env.namePrefix}-model-<name> fits IAM's 64`,
      );
    }
    if (names.has(model.name)) fail(`${field}.name`, model.name, "each model name once");
    names.add(model.name);
    checkModelPrefix(where, `${field}.modelPrefix`, model.modelPrefix);
    checkModelVersion(where, `${field}.version`, model.version);
    if (
      !model.modelPrefix.startsWith(env.modelStore.publishPrefix) ||
      model.modelPrefix === env.modelStore.publishPrefix
    ) {
      fail(
        `${field}.modelPrefix`,
        model.modelPrefix,
        `a prefix under modelStore.publishPrefix ("${env.modelStore.publishPrefix}"), not all of it: a model reads only its own files`,
      );
    }
    checkKubernetesName(where, `${field}.namespace`, model.namespace);
    if (!(env.workloads?.namespaces ?? []).some((n) => n.name === model.namespace)) {
      fail(
        `${field}.namespace`,
        model.namespace,
        `one of workloads.namespaces (${(env.workloads?.namespaces ?? []).map((n) => n.name).join(", ") || "none"})`,
      );
    }
    checkRegistryImage(env, where, `${field}.image`, model.image);
    checkIntegerInRange(where, `${field}.port`, model.port, 1024, 65535);
    checkIntegerInRange(where, `${field}.nodePort`, model.nodePort, NODE_PORT_RANGE.min, NODE_PORT_RANGE.max);
    if (env.models.some((other, j) => j !== i && other.nodePort === model.nodePort)) {
      fail(
        `${field}.nodePort`,
        model.nodePort,
        "a NodePort no other model uses (each has its own load-balancer listener)",
      );
    }
    checkIntegerInRange(where, `${field}.replicas.min`, model.replicas?.min, 1, 100);
    checkIntegerInRange(where, `${field}.replicas.max`, model.replicas.max, model.replicas.min, 100);
    checkContainerResources(where, `${field}.resources`, model.resources);
  });
  for (const [i, model] of env.models.entries()) {
    const overlap = env.models.find((other, j) => j !== i && other.modelPrefix.startsWith(model.modelPrefix));
    if (overlap) {
      fail(
        `models[${i}].modelPrefix`,
        model.modelPrefix,
        `a prefix no other model's lies under (${overlap.name}'s "${overlap.modelPrefix}" does): each role reads its own model only`,
      );
    }
  }
}

/** Checks an image of the environment's registry: `<repository>@sha256:<digest>`, the repository one of `registry.repositories`. */
function checkRegistryImage(env: EnvironmentConfig, where: string, field: string, image: string): void {
  const match = typeof image === "string" ? /^([a-z0-9][a-z0-9._/-]*)@sha256:[0-9a-f]{64}$/.exec(image) : null;
  if (!match || !env.registry.repositories.includes(match[1])) {
    throw new ValidationError(
      where,
      field,
      image,
      `allowed: <repository>@sha256:<64 lowercase hex digits>, the repository one of registry.repositories (${env.registry.repositories.join(", ")}): images are pinned by digest`,
    );
  }
}

function validateWorkloads(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const workloads = env.workloads;
  if (typeof workloads !== "object" || workloads === null) fail("workloads", workloads, "a workloads configuration");
  if (!Array.isArray(workloads.namespaces)) fail("workloads.namespaces", workloads.namespaces, "a list of namespaces");
  const names = new Set<string>();
  workloads.namespaces.forEach((namespace, i) => {
    const field = `workloads.namespaces[${i}]`;
    checkKubernetesName(where, `${field}.name`, namespace.name);
    if (names.has(namespace.name)) fail(`${field}.name`, namespace.name, "each namespace once");
    if (RESERVED_NAMESPACES.includes(namespace.name)) {
      fail(`${field}.name`, namespace.name, `a namespace of its own, not ${RESERVED_NAMESPACES.join(", ")}`);
    }
    names.add(namespace.name);
    for (const group of namespace.readerGroups ?? []) checkKubernetesGroup(where, `${field}.readerGroups`, group);
  });
  checkRegistryImage(env, where, "workloads.devicePluginImage", workloads.devicePluginImage);
  checkCachedImage(env, where, "workloads.modelVerifierImage", workloads.modelVerifierImage);
}

/** An image through the registry's pull-through cache, `cache/<upstream>/<repository>@sha256:<digest>`. */
function checkCachedImage(env: EnvironmentConfig, where: string, field: string, image: string): void {
  const match =
    typeof image === "string" ? /^cache\/([a-z0-9-]+)\/[a-z0-9][a-z0-9._/-]*@sha256:[0-9a-f]{64}$/.exec(image) : null;
  const upstreams: readonly string[] = env.registry.pullThroughCache ?? [];
  if (!match || !upstreams.includes(match[1])) {
    throw new ValidationError(
      where,
      field,
      image,
      `allowed: cache/<upstream>/<repository>@sha256:<64 lowercase hex digits>, the upstream one of registry.pullThroughCache (${upstreams.join(", ") || "none"}): images are pinned by digest`,
    );
  }
}

function validateEdge(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const edge = env.edge;
  if (typeof edge !== "object" || edge === null) fail("edge", edge, "an edge configuration");
  if (!API_AUTHORIZATIONS.includes(edge.authorization)) {
    fail("edge.authorization", edge.authorization, API_AUTHORIZATIONS.join(" or "));
  }
  if (edge.cognitoDomainPrefix !== undefined) {
    checkLowercaseName(where, "edge.cognitoDomainPrefix", edge.cognitoDomainPrefix, 63);
  }
  checkTiers(where, edge.tiers, edge.consumers, "edge.");
  checkIntegerInRange(where, "edge.throttle.rateLimit", edge.throttle?.rateLimit, 1, 10000);
  checkIntegerInRange(where, "edge.throttle.burstLimit", edge.throttle.burstLimit, 1, 5000);
  if (edge.loggingLevel !== "ERROR" && edge.loggingLevel !== "INFO") {
    fail("edge.loggingLevel", edge.loggingLevel, "ERROR or INFO");
  }
  checkLogRetention(where, "edge.logRetentionInDays", edge.logRetentionInDays);
  if (env.production && edge.logRetentionInDays < 365) {
    fail("edge.logRetentionInDays", edge.logRetentionInDays, "365 or more in a production environment");
  }
  checkRateLimit(where, "edge.waf.rateLimit", edge.waf?.rateLimit);
  if (edge.waf.evaluationWindowSeconds !== undefined) {
    checkEvaluationWindow(where, "edge.waf.evaluationWindowSeconds", edge.waf.evaluationWindowSeconds);
  }
  checkBodyLimit(where, "edge.waf.maxBodyBytes", edge.waf.maxBodyBytes);
  if (edge.waf.allowedCountries !== undefined) {
    checkCountryCodes(where, "edge.waf.allowedCountries", edge.waf.allowedCountries);
  }
  checkThresholds(where, "edge.alarms", edge.alarms);
  checkBucketName(where, "edge.logBucketName", edge.logBucketName);
}

function validateModelStore(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const store = env.modelStore;
  if (typeof store !== "object" || store === null) fail("modelStore", store, "a model-store configuration");
  checkBucketName(where, "modelStore.bucketName", store.bucketName);
  checkLogBucketRoom(where, "modelStore.bucketName", store.bucketName);
  checkObjectLock(where, "modelStore.objectLock", store.objectLock);
  const noncurrent = store.noncurrentVersionExpirationDays;
  if (!Number.isInteger(noncurrent) || noncurrent < store.objectLock.days || noncurrent > 3650) {
    fail(
      "modelStore.noncurrentVersionExpirationDays",
      noncurrent,
      `a whole number from modelStore.objectLock.days (${store.objectLock.days}) to 3650: a locked version cannot expire before its lock ends`,
    );
  }
  if (store.replicaRegion !== undefined) {
    if (!REGION.test(store.replicaRegion))
      fail("modelStore.replicaRegion", store.replicaRegion, "an AWS region name such as eu-central-1");
    if (store.replicaRegion === env.region) {
      fail("modelStore.replicaRegion", store.replicaRegion, `a region other than the environment's (${env.region})`);
    }
    checkBucketName(where, "modelStore.bucketName", replicaBucketName(store));
    if (replicaBucketName(store).length > 51) {
      fail(
        "modelStore.bucketName",
        store.bucketName,
        "at most 43 characters with a replica, so that <name>-replica-access-logs fits S3's 63",
      );
    }
  } else if (env.production) {
    fail(
      "modelStore.replicaRegion",
      undefined,
      "a second region in a production environment: the models must survive a regional outage",
    );
  }
  if (store.breakGlassRoleArn !== undefined && !ROLE_ARN.test(store.breakGlassRoleArn)) {
    fail("modelStore.breakGlassRoleArn", store.breakGlassRoleArn, "an IAM role ARN");
  }
  checkModelPrefix(where, "modelStore.publishPrefix", store.publishPrefix);
  if (store.appReaderRolePrefix !== undefined) {
    const prefix = store.appReaderRolePrefix;
    const own = [ciNames(env).protectedRolePrefix, ciNames(env).serviceRolePrefix, `${env.namePrefix}-model-`];
    if (
      typeof prefix !== "string" ||
      !/^[a-z0-9-]{3,40}$/.test(prefix) ||
      !prefix.endsWith("-") ||
      !prefix.startsWith(`${env.namePrefix}-`) ||
      prefix === `${env.namePrefix}-` ||
      own.some((p) => p.startsWith(prefix) || prefix.startsWith(p))
    ) {
      fail(
        "modelStore.appReaderRolePrefix",
        prefix,
        `a role name prefix under the environment's, ending in "-" (e.g. "${env.namePrefix}-app-"), that covers none of its own roles (${own.join(", ")})`,
      );
    }
  }
}

function validateDetection(
  env: EnvironmentConfig,
  where: string,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const detection = env.detection;
  if (typeof detection !== "object" || detection === null) fail("detection", detection, "a detection configuration");
  for (const email of detection.alertEmails ?? []) checkEmail(where, "detection.alertEmails", email);
  if (env.production && (detection.alertEmails ?? []).length === 0) {
    fail("detection.alertEmails", detection.alertEmails, "at least one address in a production environment");
  }
  checkGuardDutySeverity(where, "detection.guardDutyAlertSeverity", detection.guardDutyAlertSeverity);
  for (const [field, name] of [
    ["detection.auditBucketName", detection.auditBucketName],
    ["detection.configBucketName", detection.configBucketName],
  ] as const) {
    checkBucketName(where, field, name);
    checkLogBucketRoom(where, field, name);
  }
  checkObjectLock(where, "detection.auditLogLock", detection.auditLogLock);
  if (env.production && detection.auditLogLock.days < 365) {
    fail("detection.auditLogLock.days", detection.auditLogLock.days, "365 or more in a production environment");
  }
  checkLogRetention(where, "detection.auditLogRetentionInDays", detection.auditLogRetentionInDays);
  if (detection.auditLogRetentionInDays < 365) {
    fail(
      "detection.auditLogRetentionInDays",
      detection.auditLogRetentionInDays,
      "365 or more: audit records are kept a year at least, in every environment",
    );
  }
  for (const arn of detection.auditReaderArns ?? []) {
    if (!ROLE_ARN.test(arn)) fail("detection.auditReaderArns", arn, "IAM role ARNs");
  }
  for (const field of ["securityHub", "awsConfig"] as const) {
    if (!ACCOUNT_SERVICE_MODES.includes(detection[field])) {
      fail(`detection.${field}`, detection[field], ACCOUNT_SERVICE_MODES.join(" or "));
    }
  }
  if (!SERVICE_LINKED_ROLE_MODES.includes(detection.serviceLinkedRoles)) {
    fail("detection.serviceLinkedRoles", detection.serviceLinkedRoles, SERVICE_LINKED_ROLE_MODES.join(" or "));
  }
}

function validateRegistry(
  env: EnvironmentConfig,
  fail: (field: string, value: unknown, allowed: string) => never,
): void {
  const registry = env.registry;
  if (typeof registry !== "object" || registry === null) fail("registry", registry, "a registry configuration");
  if (!Array.isArray(registry.repositories) || registry.repositories.length === 0) {
    fail("registry.repositories", registry.repositories, "at least one repository name");
  }
  for (const upstream of registry.pullThroughCache ?? []) {
    if (!Object.hasOwn(PULL_THROUGH_UPSTREAMS, upstream)) {
      fail("registry.pullThroughCache", upstream, Object.keys(PULL_THROUGH_UPSTREAMS).join(", "));
    }
  }
  const days = registry.untaggedImageExpirationDays;
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    fail("registry.untaggedImageExpirationDays", days, "a whole number from 1 to 365");
  }
}

/**
 * The environment with this name, validated. An unknown name is an error listing the known ones.
 * @param environments the table to look in; default: {@link ENVIRONMENTS}
 */
export function loadEnvironment(
  name: string,
  environments: Readonly<Record<string, EnvironmentConfig>> = ENVIRONMENTS,
): EnvironmentConfig {
  const env = Object.hasOwn(environments, name) ? environments[name] : undefined;
  if (!env) {
    throw new ValidationError(
      "BLUEPRINT_ENV",
      "environment",
      name,
      `known environments: ${Object.keys(environments).sort().join(", ")}`,
    );
  }
  if (env.name !== name) {
    throw new ValidationError(
      `environment "${name}"`,
      "name",
      env.name,
      `allowed: the key it is listed under, "${name}"`,
    );
  }
  return validateEnvironment(env);
}
