import type { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Construct } from "constructs";
import { ValidationError } from "../core/validation";
import { type Architecture, checkCpuInstanceTypes } from "./instance-types";
import {
  type CapacityType,
  checkNodeGroupName,
  checkNodePool,
  createManagedNodeGroup,
  type NodeScaling,
  type NodeTaint,
} from "./managed-node-group";
import type { SecureEksCluster } from "./secure-eks-cluster";

/** The AMI types of system nodes, by architecture: EKS-optimized Amazon Linux 2023. */
export const SYSTEM_AMI_TYPES: Readonly<Record<Architecture, string>> = {
  x86_64: "AL2023_x86_64_STANDARD",
  arm64: "AL2023_ARM_64_STANDARD",
};

/** The taint of system nodes: only cluster services that tolerate it (CoreDNS does) run there. */
export const SYSTEM_TAINT: NodeTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" };

/** The labels every system node carries. */
export const SYSTEM_NODE_LABELS: Readonly<Record<string, string>> = { workload: "system" };

/** Smallest system root volume, in GiB: the AL2023 AMI's snapshot. */
export const MIN_SYSTEM_ROOT_VOLUME_GIB = 20;

/** Properties of a {@link SystemNodeGroup}. */
export interface SystemNodeGroupProps {
  /** The cluster the nodes join. */
  readonly cluster: SecureEksCluster;
  /** The node group's name: lowercase letters, digits and hyphens, 2 to 40 characters. Default: `system`. */
  readonly name?: string;
  /** General-purpose instance types of the architecture: 1 to 20, no accelerators. */
  readonly instanceTypes: readonly string[];
  /** CPU architecture of the AMI and the instance types. Default: `x86_64`. */
  readonly architecture?: Architecture;
  /** How many nodes; at least 2 keeps CoreDNS up while a node is replaced. */
  readonly scaling: NodeScaling;
  /** `ON_DEMAND` or `SPOT`. Default: `ON_DEMAND`. */
  readonly capacityType?: CapacityType;
  /** Root volume size in GiB: 20 to 16384. Default: 30. */
  readonly rootVolumeSizeGiB?: number;
}

/**
 * A small managed node group of CPU nodes for cluster services (CoreDNS and the like) on the hardened launch
 * template, tainted `CriticalAddonsOnly=true:NoSchedule` so that workloads stay off it.
 */
export class SystemNodeGroup extends Construct {
  /** The `aws_eks_node_group`. */
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const where = this.node.path;
    const name = props.name ?? "system";
    checkNodeGroupName(where, "name", name);
    const architecture = props.architecture ?? "x86_64";
    if (!(architecture in SYSTEM_AMI_TYPES)) {
      throw new ValidationError(where, "architecture", architecture, "allowed: x86_64 or arm64");
    }
    checkCpuInstanceTypes(where, "instanceTypes", props.instanceTypes, architecture);
    const capacityType = props.capacityType ?? "ON_DEMAND";
    const rootVolumeSizeGiB = props.rootVolumeSizeGiB ?? 30;
    checkNodePool(where, "", { scaling: props.scaling, capacityType, rootVolumeSizeGiB }, MIN_SYSTEM_ROOT_VOLUME_GIB);
    this.nodeGroup = createManagedNodeGroup(this, {
      cluster: props.cluster,
      name,
      amiType: SYSTEM_AMI_TYPES[architecture],
      instanceTypes: props.instanceTypes,
      capacityType,
      scaling: props.scaling,
      rootVolumeSizeGiB,
      labels: SYSTEM_NODE_LABELS,
      taints: [SYSTEM_TAINT],
    });
  }
}
