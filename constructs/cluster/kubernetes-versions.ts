import { ValidationError } from "../core/validation";

/**
 * Kubernetes versions the blueprint supports: versions in Amazon EKS standard support that the pinned checkov
 * (CKV_AWS_339) recognises and that EKS offers AL2023 NVIDIA AMIs for (1.34 until 2026-12-02, 1.35 until 2027-03-27,
 * by the EKS calendar). A new version is added here once it is tested; an old one leaves when its standard support
 * ends, after the shipped environments have moved on.
 */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = ["1.34", "1.35"];

/** Checks a Kubernetes version against {@link SUPPORTED_KUBERNETES_VERSIONS}. */
export function checkKubernetesVersion(where: string, property: string, version: string): void {
  if (!SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
    throw new ValidationError(
      where,
      property,
      version,
      `allowed: one of the supported Kubernetes versions ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
    );
  }
}
