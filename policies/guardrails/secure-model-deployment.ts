import type { RulePack } from "./rule";
import { ALERT_RULES } from "./rules/alert-rules";
import { CLUSTER_RULES } from "./rules/cluster-rules";
import { DETECTION_RULES } from "./rules/detection-rules";
import { EDGE_RULES } from "./rules/edge-rules";
import { IAM_RULES } from "./rules/iam-rules";
import { KMS_RULES } from "./rules/kms-rules";
import { KUBERNETES_RULES } from "./rules/kubernetes-rules";
import { LOG_RULES } from "./rules/log-rules";
import { NETWORK_RULES } from "./rules/network-rules";
import { REGISTRY_RULES } from "./rules/registry-rules";
import { S3_RULES } from "./rules/s3-rules";
import { TERRAFORM_RULES } from "./rules/terraform-rules";
import { WORKLOAD_RULES } from "./rules/workload-rules";

/**
 * The blueprint's rule pack: every rule names the controls of the source design it enforces and the checkov checks
 * it mirrors, and the profiles (`platform`, `workload`) that hold it. Each issue that adds a resource type adds the
 * rules for it here.
 */
export const SecureModelDeployment: RulePack = {
  name: "SecureModelDeployment",
  rules: [
    ...KMS_RULES,
    ...S3_RULES,
    ...IAM_RULES,
    ...NETWORK_RULES,
    ...LOG_RULES,
    ...REGISTRY_RULES,
    ...CLUSTER_RULES,
    ...KUBERNETES_RULES,
    ...EDGE_RULES,
    ...ALERT_RULES,
    ...DETECTION_RULES,
    ...TERRAFORM_RULES,
    ...WORKLOAD_RULES,
  ],
};
