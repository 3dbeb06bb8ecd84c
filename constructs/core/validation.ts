import { Token } from "cdktf";

/**
 * Raised when a construct or an environment is given a value it cannot accept. The message always names
 * where (construct path or environment), the property, the bad value and what is allowed, and it is thrown
 * before any child resource is created, so nothing is half-built.
 */
export class ValidationError extends Error {
  public readonly where: string;
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
