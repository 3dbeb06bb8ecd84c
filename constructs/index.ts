/**
 * The blueprint's construct library: what app teams import into their own stacks.
 *
 *   import { KmsKey } from "secure-model-deployment-blueprint/constructs";
 *
 * Every construct is secure by default, validates its props when created (a `ValidationError` names the construct
 * path, the prop, the bad value and what is allowed) and offers `grant*` methods instead of hand-written IAM.
 */
import "../policies/peer-check";
export { EKS_ADDON_REGISTRY_ACCOUNTS } from "./cluster/aws-image-registries";
export {
  GPU_NODE_LABELS,
  GPU_TAINT,
  GpuNodeGroup,
  type GpuNodeGroupProps,
} from "./cluster/gpu-node-group";
export { type Architecture, GPU_INSTANCE_FAMILIES } from "./cluster/instance-types";
export { SUPPORTED_KUBERNETES_VERSIONS } from "./cluster/kubernetes-versions";
export type { CapacityType, NodeScaling, NodeTaint } from "./cluster/managed-node-group";
export {
  CLUSTER_ACCESS_POLICIES,
  type ClusterAccess,
  type ClusterAccessPolicy,
  METRICS_SERVER_PORT,
  type ClusterNetwork,
  SecureEksCluster,
  type SecureEksClusterProps,
} from "./cluster/secure-eks-cluster";
export {
  SYSTEM_NODE_LABELS,
  SYSTEM_TAINT,
  SystemNodeGroup,
  type SystemNodeGroupProps,
} from "./cluster/system-node-group";
export { AwsContext, type AwsContextProps, partitionOf } from "./core/aws-context";
export { type Grantable, isGrantable, type PrincipalLike, principalArn } from "./core/principal";
export {
  ClusterReader,
  type ClusterReaderProps,
  type ReadableResources,
  TERRAFORM_MANAGED_KINDS,
  TERRAFORM_PLAN_GROUP,
} from "./kubernetes/cluster-reader";
export type { MutableImageTagOptOut } from "./kubernetes/container-image";
export { ApiGatewayLogging, type ApiGatewayLoggingProps } from "./edge/api-gateway-logging";
export { ISO_COUNTRY_CODES } from "./edge/country-codes";
export {
  type InferenceAlarmThresholds,
  InferenceAlarms,
  type InferenceAlarmsProps,
} from "./edge/inference-alarms";
export {
  type ApiAuthorization,
  type ApiCache,
  type ApiConsumer,
  type ApiCustomDomain,
  API_CACHE_SIZES,
  type ApiModel,
  INVOKE_SCOPE,
  InferenceApi,
  type InferenceApiProps,
  type UsageTier,
} from "./edge/inference-api";
export {
  InferenceApiConsumer,
  type InferenceApiConsumerProps,
} from "./edge/inference-api-consumer";
export {
  InferenceLoadBalancer,
  type InferenceLoadBalancerProps,
  type LoadBalancedModel,
  type ModelTarget,
} from "./edge/inference-load-balancer";
export { WAF_RATE_LIMIT, WebAcl, type WebAclProps } from "./edge/web-acl";
export { EksKubernetesProvider, type EksKubernetesProviderProps } from "./kubernetes/eks-kubernetes-provider";
export {
  type ContainerResources,
  type InferenceProbes,
  InferenceService,
  type InferenceServiceProps,
  MODEL_VERIFIER,
  type ModelLocation,
  type ModelVerification,
  type ReplicaBounds,
} from "./kubernetes/inference-service";
export {
  DEVICE_PLUGIN_NAMESPACE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginProps,
} from "./kubernetes/nvidia-device-plugin";
export { MIN_WORKLOAD_UID, type PodSecurityLevel, podSecurityLabels } from "./kubernetes/pod-security";
export { GPU_RESOURCE, type ResourceAmounts } from "./kubernetes/quantity";
export {
  type ContainerDefaults,
  type NamespaceQuota,
  type PrivilegedPodsOptOut,
  SecureNamespace,
  type SecureNamespaceProps,
} from "./kubernetes/secure-namespace";
export { ValidationError } from "./core/validation";
export {
  ACCOUNT_SERVICE_MODES,
  type AccountServiceMode,
  AccountGuardrails,
  type AccountGuardrailsProps,
  SECURITY_HUB_STANDARDS,
  SERVICE_LINKED_ROLE_MODES,
  type ServiceLinkedRoles,
} from "./detection/account-guardrails";
export { AuditTrail, type AuditTrailProps } from "./detection/audit-trail";
export {
  MALWARE_VALIDATION_OBJECT,
  ModelStoreMalwareScan,
  type ModelStoreMalwareScanProps,
} from "./detection/model-store-malware-scan";
export {
  type FindingPublishingFrequency,
  GUARDDUTY_FEATURES,
  ThreatDetection,
  type ThreatDetectionProps,
} from "./detection/threat-detection";
export {
  MODEL_TAMPER_EVENTS,
  ModelTamperAlert,
  type ModelTamperAlertProps,
  modelTamperPattern,
} from "./detection/model-tamper-alert";
export {
  ALERT_PUBLISHERS,
  SecurityAlerts,
  type SecurityAlertsProps,
  topicArn,
} from "./detection/security-alerts";
export {
  BLUEPRINT_SERVICES,
  DeploymentBoundary,
  type DeploymentBoundaryProps,
} from "./identity/deployment-boundary";
export {
  GITHUB_OIDC_AUDIENCE,
  GITHUB_OIDC_ISSUER,
  GithubActionsRole,
  type GithubActionsRoleProps,
  type GithubWorkflowSubject,
} from "./identity/github-actions-role";
export { PermissionsBoundary } from "./identity/permissions-boundary";
export { ServiceRole, type ServiceRoleProps } from "./identity/service-role";
export {
  POD_IDENTITY_SERVICE,
  type WorkloadCluster,
  WorkloadRole,
  type WorkloadRoleProps,
} from "./identity/workload-role";
export {
  type PolicyConditions,
  PolicyDocument,
  type PolicyDocumentOptions,
  type PolicyEffect,
  type PolicyPrincipals,
  type PolicyStatement,
  type RenderedStatement,
  suppressWildcardActions,
} from "./identity/policy-document";
export { type CustomerKeyProps, KEY_POLICY_RESOURCE_REASON } from "./keys/key-policy";
export {
  KMS_ADMIN_ACTIONS,
  KMS_VIEW_ACTIONS,
  type KmsGrantConditions,
  KmsKey,
  type KmsKeyProps,
} from "./keys/kms-key";
export {
  SIGNING_KEY_SPECS,
  SigningKey,
  type SigningAlgorithm,
  type SigningKeyProps,
  type SigningKeySpec,
} from "./keys/signing-key";
export {
  EncryptedLogGroup,
  type EncryptedLogGroupProps,
  LOG_RETENTION_DAYS,
} from "./logging/encrypted-log-group";
export {
  type GuardDutyAgentManagement,
  SecureVpc,
  type SecureVpcProps,
  type SubnetIds,
} from "./network/secure-vpc";
export {
  EGRESS_MODES,
  type EgressMode,
  planSubnets,
  type SubnetLayoutRequest,
  type SubnetCidrs,
  type SubnetLayout,
  type SubnetTier,
} from "./network/subnet-layout";
export {
  DEFAULT_INTERFACE_ENDPOINTS,
  GUARDDUTY_DATA_ENDPOINT,
  type InterfaceEndpointSpec,
  VpcEndpoints,
  type VpcEndpointsProps,
} from "./network/vpc-endpoints";
export { VpcFlowLog, type VpcFlowLogProps } from "./network/vpc-flow-log";
export {
  ContainerRegistry,
  type ContainerRegistryProps,
  ECR_PROTECTED_ACTIONS,
  ECR_PULL_ACTIONS,
  ECR_PULL_THROUGH_ACTIONS,
  ECR_PUSH_ACTIONS,
  PULL_THROUGH_UPSTREAMS,
  type PullThroughUpstream,
  repositoryUriPrefix,
} from "./registry/container-registry";
export {
  checkModelPrefix,
  MODEL_PROTECTED_ACTIONS,
  MODEL_READ_ACTIONS,
  MODEL_TAG_ACTIONS,
  MODEL_WRITE_ACTIONS,
  ModelStore,
  modelSigningKeyAlias,
  type ModelStoreProps,
  type ModelStoreReplication,
  type ServiceRoleAccess,
} from "./storage/model-store";
export { ModelStoreReference, type ModelStoreReferenceProps } from "./storage/model-store-reference";
export {
  type AccessLogTarget,
  checkKeyPrefix,
  MAX_OBJECT_LOCK_DAYS,
  OBJECT_READ_ACTIONS,
  OBJECT_WRITE_ACTIONS,
  OBJECT_LOCK_MODES,
  type ObjectLockMode,
  type ObjectLockRetention,
  SecureBucket,
  type SecureBucketProps,
} from "./storage/secure-bucket";
