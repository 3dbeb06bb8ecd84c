import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { dependable, Token } from "cdktf";
import type { Construct } from "constructs";
import { checkIntegerInRange, checkLowercaseName, checkPattern, ValidationError } from "../core/validation";
import type { SecureEksCluster } from "./secure-eks-cluster";

/** How many nodes a group runs: `0 <= minSize <= desiredSize <= maxSize`, `maxSize >= 1`. */
export interface NodeScaling {
  /** Fewest nodes. */
  readonly minSize: number;
  /** Nodes at creation (an autoscaler moves it afterwards; Terraform leaves it alone). */
  readonly desiredSize: number;
  /** Most nodes: 1 to 450 (EKS's quota of nodes per managed node group). */
  readonly maxSize: number;
}

/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;
  /** Taint value, e.g. `true`. */
  readonly value: string;
  /** What the taint does to pods that do not tolerate it. */
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** On-demand or spot capacity. */
export type CapacityType = "ON_DEMAND" | "SPOT";
export const CAPACITY_TYPES: readonly CapacityType[] = ["ON_DEMAND", "SPOT"];

/** Largest gp3 volume, in GiB. */
export const MAX_VOLUME_SIZE_GIB = 16384;

/** What a node group construct has checked and asks {@link createManagedNodeGroup} to build. */
export interface ManagedNodeGroupSpec {
  readonly cluster: SecureEksCluster;
  /** The node group's name in the cluster. */
  readonly name: string;
  readonly amiType: string;
  readonly instanceTypes: readonly string[];
  readonly capacityType: CapacityType;
  readonly scaling: NodeScaling;
  readonly rootVolumeSizeGiB: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
}

/** Checks a node group name: lowercase letters, digits and hyphens, 2 to 40 characters. */
export function checkNodeGroupName(where: string, property: string, name: string): void {
  checkLowercaseName(where, property, name, 40);
}

/** Checks a group's scaling: whole numbers, `0 <= min <= desired <= max`, `1 <= max <= 450`. */
function checkScaling(where: string, property: string, scaling: NodeScaling): void {
  checkIntegerInRange(where, `${property}.maxSize`, scaling.maxSize, 1, 450);
  checkIntegerInRange(where, `${property}.minSize`, scaling.minSize, 0, 450);
  checkIntegerInRange(where, `${property}.desiredSize`, scaling.desiredSize, 0, 450);
  if (!(scaling.minSize <= scaling.desiredSize && scaling.desiredSize <= scaling.maxSize)) {
    throw new ValidationError(
      where,
      property,
      scaling,
      "allowed: 0 <= minSize <= desiredSize <= maxSize, with maxSize at least 1",
    );
  }
}

/** Checks a root volume size: a whole number of GiB from `minimum` (what the AMI and its images need) to 16384. */
function checkRootVolumeSize(where: string, property: string, size: number, minimum: number): void {
  if (!Number.isInteger(size) || size < minimum || size > MAX_VOLUME_SIZE_GIB) {
    throw new ValidationError(
      where,
      property,
      size,
      `allowed: a whole number of GiB from ${minimum} (the AMI and the images it caches need that much) to ${MAX_VOLUME_SIZE_GIB}`,
    );
  }
}

/** Checks a capacity type. */
function checkCapacityType(where: string, property: string, value: CapacityType): void {
  if (!CAPACITY_TYPES.includes(value)) {
    throw new ValidationError(where, property, value, `allowed: ${CAPACITY_TYPES.join(" or ")}`);
  }
}

const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

/** Checks what every node pool sets: its scaling, capacity type and root volume (`prefix` names where they sit). */
export function checkNodePool(
  where: string,
  prefix: string,
  pool: { readonly scaling: NodeScaling; readonly capacityType: CapacityType; readonly rootVolumeSizeGiB: number },
  minimumVolumeGiB: number,
): void {
  checkScaling(where, `${prefix}scaling`, pool.scaling);
  checkCapacityType(where, `${prefix}capacityType`, pool.capacityType);
  checkRootVolumeSize(where, `${prefix}rootVolumeSizeGiB`, pool.rootVolumeSizeGiB, minimumVolumeGiB);
}

/** Checks Kubernetes label keys and values (and taints', which follow the same rules). */
export function checkLabels(where: string, property: string, labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    checkPattern(where, `${property} key`, key, LABEL_KEY, "a Kubernetes label key, [prefix/]name");
    checkPattern(where, `${property}.${key}`, value, LABEL_VALUE, "a Kubernetes label value, up to 63 characters");
  }
}

/**
 * A managed node group on a hardened launch template: IMDSv2 only with a hop limit of 1 (pods cannot reach the
 * node's credentials), an encrypted gp3 root volume under the cluster's node-volume key, the cluster's node security
 * group, no SSH key and no public address (the subnets are private and assign none); automatic node repair; one node
 * replaced at a time. Terraform leaves `desired_size` to the autoscaler after creation.
 */
export function createManagedNodeGroup(scope: Construct, spec: ManagedNodeGroupSpec): EksNodeGroup {
  const cluster = spec.cluster;
  const fullName = `${cluster.name}-${spec.name}`;
  const template = new LaunchTemplate(scope, "LaunchTemplate", {
    name: fullName,
    description: `Nodes of ${fullName}: IMDSv2 only, encrypted root volume, no SSH key, no public address`,
    updateDefaultVersion: true,
    vpcSecurityGroupIds: [cluster.nodeSecurityGroup.id],
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      httpProtocolIpv6: "disabled",
      instanceMetadataTags: "disabled",
    },
    blockDeviceMappings: [
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: spec.rootVolumeSizeGiB,
          volumeType: "gp3",
          encrypted: "true",
          kmsKeyId: cluster.nodeVolumeKey.arn,
          deleteOnTermination: "true",
        },
      },
    ],
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
      resourceType,
      tags: { Name: fullName, "eks:nodegroup-name": spec.name },
    })),
    tags: { Name: fullName },
  });
  const group = new EksNodeGroup(scope, "NodeGroup", {
    clusterName: cluster.cluster.name,
    nodeGroupName: spec.name,
    nodeRoleArn: cluster.nodeRole.arn,
    subnetIds: [...cluster.subnetIds],
    version: cluster.cluster.version,
    amiType: spec.amiType,
    capacityType: spec.capacityType,
    instanceTypes: [...spec.instanceTypes],
    scalingConfig: { ...spec.scaling },
    updateConfig: { maxUnavailable: 1 },
    nodeRepairConfig: { enabled: true },
    launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
    labels: { ...spec.labels },
    taint: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    tags: { Name: fullName },
    lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
  });
  group.dependsOn = cluster.registerNodeGroup(group).map((d) => dependable(d));
  return group;
}
