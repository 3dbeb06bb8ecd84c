import { ValidationError } from "../core/validation";

/** A Pod Security Standards level. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** The label prefix of Pod Security admission. */
export const POD_SECURITY_LABEL = "pod-security.kubernetes.io";

/** The modes Pod Security admission has: reject, record in the audit log, warn the client. */
export const POD_SECURITY_MODES = ["enforce", "audit", "warn"] as const;

/** Lowest UID a workload may run as: above the range host users and images' system users take (checkov CKV_K8S_40). */
export const MIN_WORKLOAD_UID = 10000;

/** Highest UID Kubernetes accepts. */
export const MAX_UID = 2147483647;

/**
 * The Pod Security admission labels of a namespace: `enforce` at `enforce`, `audit` and `warn` at `restricted`
 * whatever is enforced (so a privileged namespace still reports what would break the restricted level), every mode's
 * version pinned to the cluster's Kubernetes minor version (`v1.35`), so that an upgrade never changes what is admitted
 * without a code change.
 */
export function podSecurityLabels(enforce: PodSecurityLevel, kubernetesVersion: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of POD_SECURITY_MODES) {
    labels[`${POD_SECURITY_LABEL}/${mode}`] = mode === "enforce" ? enforce : "restricted";
    labels[`${POD_SECURITY_LABEL}/${mode}-version`] = `v${kubernetesVersion}`;
  }
  return labels;
}

/** Checks a UID or GID a workload runs as: `MIN_WORKLOAD_UID` or more; 0 (root) is named as such. */
export function checkWorkloadUid(where: string, property: string, value: number): void {
  if (value === 0) {
    throw new ValidationError(
      where,
      property,
      value,
      `allowed: a non-root ID from ${MIN_WORKLOAD_UID} to ${MAX_UID}; 0 is root, which the restricted Pod Security level refuses`,
    );
  }
  if (!Number.isInteger(value) || value < MIN_WORKLOAD_UID || value > MAX_UID) {
    throw new ValidationError(
      where,
      property,
      value,
      `allowed: a whole number from ${MIN_WORKLOAD_UID} to ${MAX_UID} (IDs below ${MIN_WORKLOAD_UID} can collide with the host's users)`,
    );
  }
}

/** The security context of a container under the restricted level, in the kubernetes provider's shape. */
export function restrictedContainerSecurityContext(uid: number, gid: number) {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: String(uid),
    runAsGroup: String(gid),
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
