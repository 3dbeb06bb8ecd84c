import { ValidationError } from "../core/validation";

/**
 * EC2 families with NVIDIA GPUs that the EKS-optimized AL2023 NVIDIA AMI (x86_64) runs: T4 (g4dn), A10G (g5), L4
 * (g6, gr6), fractional L4 (g6f), L40S (g6e), A100 (p4d, p4de), H100/H200 (p5, p5e, p5en), B200 (p6-b200).
 * Left out on purpose: g4ad (AMD GPUs), g5g and p6e-gb200 (Arm: another AMI type), inf*, trn* (AWS Neuron, not CUDA).
 */
export const GPU_INSTANCE_FAMILIES: readonly string[] = [
  "g4dn",
  "g5",
  "g6",
  "g6e",
  "g6f",
  "gr6",
  "p4d",
  "p4de",
  "p5",
  "p5e",
  "p5en",
  "p6-b200",
];

/** Families of accelerated instances (GPU, Neuron, FPGA, video): a waste, and a wrong fit, in a CPU node group. */
const ACCELERATED_FAMILY = /^(g\d|gr\d|p\d|inf\d|trn\d|dl\d|vt\d|f\d)/;
/** Graviton (Arm) families: m7g, c7gn, r8gd, t4g, im4gn, is4gen, x2gd, ... */
const ARM_FAMILY = /^[a-z]+\d+g[a-z]*$/;
const INSTANCE_TYPE = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)?)\.(nano|micro|small|medium|large|\d*xlarge|metal(?:-\d+xl)?)$/;

/** The CPU architecture of an AMI type, and so of the instance types it may run on. */
export type Architecture = "x86_64" | "arm64";

/** Splits `g5.2xlarge` into its family, or throws naming the property when it is not an EC2 instance type. */
export function instanceFamily(where: string, property: string, instanceType: string): string {
  const match = typeof instanceType === "string" ? INSTANCE_TYPE.exec(instanceType) : null;
  if (!match) {
    throw new ValidationError(where, property, instanceType, "allowed: an EC2 instance type such as g5.xlarge");
  }
  return match[1];
}

/**
 * Checks a GPU pool's instance types: 1 to 20 of them (what a managed node group takes), each of a family in
 * {@link GPU_INSTANCE_FAMILIES}; a CPU type is an error, not a silent pool without GPUs.
 */
export function checkGpuInstanceTypes(where: string, property: string, types: readonly string[]): void {
  checkTypeCount(where, property, types);
  for (const type of types) {
    const family = instanceFamily(where, property, type);
    if (!GPU_INSTANCE_FAMILIES.includes(family)) {
      throw new ValidationError(
        where,
        property,
        type,
        `allowed: NVIDIA GPU instance types of the families ${GPU_INSTANCE_FAMILIES.join(", ")} (${family} has no NVIDIA GPU the x86_64 NVIDIA AMI drives)`,
      );
    }
  }
}

/**
 * Checks a CPU pool's instance types: 1 to 20, none accelerated (a GPU in the system pool is money spent on CoreDNS),
 * all of the AMI's architecture.
 */
export function checkCpuInstanceTypes(
  where: string,
  property: string,
  types: readonly string[],
  architecture: Architecture,
): void {
  checkTypeCount(where, property, types);
  for (const type of types) {
    const family = instanceFamily(where, property, type);
    if (ACCELERATED_FAMILY.test(family)) {
      throw new ValidationError(where, property, type, "allowed: general-purpose CPU instance types, no accelerators");
    }
    const arm = ARM_FAMILY.test(family);
    if (arm !== (architecture === "arm64")) {
      throw new ValidationError(
        where,
        property,
        type,
        `allowed: ${architecture} instance types, the architecture of the node group's AMI (${family} is ${arm ? "arm64" : "x86_64"})`,
      );
    }
  }
}

function checkTypeCount(where: string, property: string, types: readonly string[]): void {
  if (!Array.isArray(types) || types.length === 0 || types.length > 20 || new Set(types).size !== types.length) {
    throw new ValidationError(where, property, types, "allowed: 1 to 20 distinct instance types");
  }
}
