import type { Construct } from "constructs";
import { EksKubernetesProvider } from "../../constructs/kubernetes/eks-kubernetes-provider";
import type { InferenceServiceProps } from "../../constructs/kubernetes/inference-service";
import { SecureNamespace, type SecureNamespaceProps } from "../../constructs/kubernetes/secure-namespace";

/** The registry test images come from. */
export const TEST_REGISTRY = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/smd-test";
/** A digest-pinned image of {@link TEST_REGISTRY}. */
export const TEST_IMAGE = `${TEST_REGISTRY}/inference@sha256:${"ab".repeat(32)}`;

/** The model verifier's image (the AWS CLI) in {@link TEST_REGISTRY}'s pull-through cache, pinned by digest. */
export const TEST_VERIFIER_IMAGE = `${TEST_REGISTRY}/cache/ecr-public/aws-cli/aws-cli@sha256:${"cd".repeat(32)}`;

/** A restricted namespace with room for a few GPU replicas. */
export function testNamespace(scope: Construct, props: Partial<SecureNamespaceProps> = {}): SecureNamespace {
  return new SecureNamespace(scope, "Namespace", {
    name: "ai-inference",
    kubernetesVersion: "1.35",
    quota: { cpu: "16", memory: "64Gi", gpu: 4, pods: 10 },
    readerGroups: ["ai-inference:model-readers"],
    endpointCidrs: ["10.20.128.0/20"],
    ...props,
  });
}

/** What an InferenceService needs besides its namespace, with test values. */
export function inferenceProps(
  namespace: SecureNamespace,
  props: Partial<InferenceServiceProps> = {},
): InferenceServiceProps {
  return {
    name: "fraud-detection",
    namespace,
    image: TEST_IMAGE,
    registries: [TEST_REGISTRY],
    port: 8080,
    nodePort: 30080,
    replicas: { min: 1, max: 2 },
    resources: { requests: { cpu: "2", memory: "8Gi", gpu: 1 }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } },
    model: { bucket: "smd-test-models", prefix: "models/fraud-detection/", version: "v3", region: "eu-west-1" },
    verification: { signingKey: "alias/smd-test-models-signing", image: TEST_VERIFIER_IMAGE },
    vpcCidr: "10.20.0.0/16",
    ...props,
  };
}

/** The kubernetes provider of an EKS cluster named `test`, as the workloads stack configures it. */
export function testKubernetesProvider(scope: Construct): EksKubernetesProvider {
  return new EksKubernetesProvider(scope, "Kubernetes", { clusterName: "test", region: "eu-west-1" });
}
