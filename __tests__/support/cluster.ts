import type { TerraformStack } from "cdktf";
import { SecureEksCluster, type SecureEksClusterProps } from "../../constructs/cluster/secure-eks-cluster";
import { KmsKey } from "../../constructs/keys/kms-key";
import { ContainerRegistry } from "../../constructs/registry/container-registry";

/** The network the construct tests put a cluster in. */
export const TEST_NETWORK = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.20.0.0/16",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  s3PrefixListId: "pl-6da54004",
};

/** A cluster named `test` in a test stack, with a logs key and a registry, and some props replaced. */
export function testCluster(stack: TerraformStack, props: Partial<SecureEksClusterProps> = {}): SecureEksCluster {
  const logsKey = new KmsKey(stack, "LogsKey", { alias: "test-logs" });
  const registry = new ContainerRegistry(stack, "Registry", {
    namespace: "test",
    repositories: ["inference"],
    pushers: ["arn:aws:iam::111122223333:role/test-ci-image-publisher"],
    pullThroughCache: [],
  });
  return new SecureEksCluster(stack, "Cluster", {
    name: "test",
    kubernetesVersion: "1.35",
    network: TEST_NETWORK,
    logsKey,
    registry,
    ...props,
  });
}
