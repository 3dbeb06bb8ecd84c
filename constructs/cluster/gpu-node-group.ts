import type { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Construct } from "constructs";
import { checkGpuInstanceTypes } from "./instance-types";
import {
  type CapacityType,
  checkLabels,
  checkNodeGroupName,
  checkNodePool,
  createManagedNodeGroup,
  type NodeScaling,
  type NodeTaint,
} from "./managed-node-group";
import type { SecureEksCluster } from "./secure-eks-cluster";

/** The EKS-optimized AMI type of GPU nodes: Amazon Linux 2023 with NVIDIA's driver and container toolkit. */
export const GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA";

/** The taint every GPU node carries: only pods that tolerate it (inference, the device plugin) land there. */
export const GPU_TAINT: NodeTaint = { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" };

/** The labels every GPU node carries, for node selectors. */
export const GPU_NODE_LABELS: Readonly<Record<string, string>> = { accelerator: "nvidia", workload: "gpu-inference" };

/**
 * Smallest GPU root volume, in GiB: the AMI's 20 GiB snapshot plus room for CUDA inference images (often 10 GiB and
 * more each) in the image cache.
 */
export const MIN_GPU_ROOT_VOLUME_GIB = 50;

/** Properties of a {@link GpuNodeGroup}. */
export interface GpuNodeGroupProps {
  /** The cluster the nodes join. */
  readonly cluster: SecureEksCluster;
  /** The node group's name: lowercase letters, digits and hyphens, 2 to 40 characters. Default: `gpu`. */
  readonly name?: string;
  /** NVIDIA GPU instance types (`g5.xlarge`, `g6e.2xlarge`, ...): 1 to 20, of `GPU_INSTANCE_FAMILIES`. */
  readonly instanceTypes: readonly string[];
  /** How many nodes. */
  readonly scaling: NodeScaling;
  /** `ON_DEMAND` or `SPOT`. Default: `ON_DEMAND`. */
  readonly capacityType?: CapacityType;
  /** Root volume size in GiB: 50 to 16384. Default: 100. */
  readonly rootVolumeSizeGiB?: number;
  /** Labels beyond `accelerator=nvidia` and `workload=gpu-inference`. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A managed node group of NVIDIA GPU nodes on the hardened launch template (IMDSv2 with hop limit 1, encrypted gp3
 * root volume, no SSH, no public address, private subnets), on the AL2023 NVIDIA AMI, tainted
 * `nvidia.com/gpu=true:NoSchedule` and labelled for node selectors. A CPU instance type is an error, not a pool
 * without GPUs.
 */
export class GpuNodeGroup extends Construct {
  /** The `aws_eks_node_group`. */
  public readonly nodeGroup: EksNodeGroup;
  /** The labels the nodes carry. */
  public readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GpuNodeGroupProps) {
    super(scope, id);
    const where = this.node.path;
    const name = props.name ?? "gpu";
    checkNodeGroupName(where, "name", name);
    checkGpuInstanceTypes(where, "instanceTypes", props.instanceTypes);
    const capacityType = props.capacityType ?? "ON_DEMAND";
    const rootVolumeSizeGiB = props.rootVolumeSizeGiB ?? 100;
    checkNodePool(where, "", { scaling: props.scaling, capacityType, rootVolumeSizeGiB }, MIN_GPU_ROOT_VOLUME_GIB);
    checkLabels(where, "labels", props.labels ?? {});
    this.labels = { ...props.labels, ...GPU_NODE_LABELS };
    this.nodeGroup = createManagedNodeGroup(this, {
      cluster: props.cluster,
      name,
      amiType: GPU_AMI_TYPE,
      instanceTypes: props.instanceTypes,
      capacityType,
      scaling: props.scaling,
      rootVolumeSizeGiB,
      labels: this.labels,
      taints: [GPU_TAINT],
    });
  }

  /**
   * The Auto Scaling group EKS made for the nodes (a managed node group has one, across its subnets), for load
   * balancer target groups to attach to.
   */
  public get autoScalingGroupName(): string {
    return this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
  }
}
