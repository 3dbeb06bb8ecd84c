import { Token } from "cdktf";

/**
 * Raised when a construct or an environment is given a value it cannot accept. The message always names
 * where (construct path or environment), the property, the bad value and what is allowed, and it is thrown
 * before any child resource is created, so nothing is half-built.
 */
export class ValidationError extends Error {
  /** The construct path or environment the bad value was given to. */
  public readonly where: string;
  /** The property that holds the bad value. */
  public readonly property: string;

  constructor(where: string, property: string, value: unknown, allowed: string) {
    super(`${where}: ${property} = ${describeValue(value)} is not allowed; ${allowed}`);
    this.name = "ValidationError";
    this.where = where;
    this.property = property;
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** True when a value is an unresolved cdktf token (a `${...}` reference known only at apply time). */
export function isToken(value: unknown): boolean {
  return (typeof value === "string" || typeof value === "number" || Array.isArray(value)) && Token.isUnresolved(value);
}

/** Checks that `value` is an integer in [min, max]; tokens pass through unchecked. */
export function checkIntegerInRange(where: string, property: string, value: number, min: number, max: number): void {
  if (isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(where, property, value, `allowed: a whole number from ${min} to ${max}`);
  }
}

/** Checks an IAM role name: 1 to 64 letters, digits and `+=,.@_-`; tokens pass through unchecked. */
export function checkRoleName(where: string, property: string, value: string): void {
  checkPattern(where, property, value, /^[\w+=,.@-]{1,64}$/, "an IAM role name, 1 to 64 characters");
}

/** Checks that `value` matches `pattern`; tokens pass through unchecked. */
export function checkPattern(where: string, property: string, value: string, pattern: RegExp, allowed: string): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new ValidationError(where, property, value, `allowed: ${allowed}`);
  }
}

/** Checks a name the blueprint derives resource names from: lowercase letters, digits and hyphens, starting with a letter. */
export function checkLowercaseName(where: string, property: string, value: string, maxLength: number): void {
  checkPattern(
    where,
    property,
    value,
    new RegExp(`^[a-z][a-z0-9-]{0,${maxLength - 2}}[a-z0-9]$`),
    `lowercase letters, digits and hyphens, 2 to ${maxLength} characters, starting with a letter`,
  );
}

/** Checks an IAM role ARN (`arn:aws:iam::123456789012:role/name`, paths allowed); tokens pass through unchecked. */
export function checkRoleArn(where: string, property: string, value: string): void {
  checkPattern(where, property, value, /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "IAM role ARNs");
}

/** Checks an AWS region name such as `eu-central-1`; tokens pass through unchecked. */
export function checkRegion(where: string, property: string, value: string): void {
  checkPattern(where, property, value, /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region name such as eu-central-1");
}
