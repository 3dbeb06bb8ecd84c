import { checkPattern, ValidationError } from "./validation";

/** Checks a Kubernetes namespace or service-account name: a DNS label, 1 to 63 characters. */
export function checkKubernetesName(where: string, property: string, value: string): void {
  checkPattern(
    where,
    property,
    value,
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "a Kubernetes name: lowercase letters, digits and hyphens, 1 to 63 characters, starting and ending with a letter or digit",
  );
}

/** Checks a Kubernetes group named in an EKS access entry: not `system:` or an AWS prefix, which EKS refuses. */
export function checkKubernetesGroup(where: string, property: string, value: string): void {
  const reserved = ["system:", "eks:", "aws:", "amazon:", "iam:"];
  if (typeof value !== "string" || !/^[\w.:@-]{1,63}$/.test(value) || reserved.some((p) => value.startsWith(p))) {
    throw new ValidationError(
      where,
      property,
      value,
      `allowed: a group name of 1 to 63 letters, digits and _ . : @ -, not starting with ${reserved.join(", ")}`,
    );
  }
}
