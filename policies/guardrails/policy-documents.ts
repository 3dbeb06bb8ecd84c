import { isReference, type StackElement, type StackIndex, valuesAt } from "./stack-index";

/** A policy statement in one shape, whether it came from JSON or from an `aws_iam_policy_document`. */
export interface NormalStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** `undefined` for an identity policy; `"*"` for every principal. */
  readonly principal?: "*" | Readonly<Record<string, readonly string[]>>;
  readonly notPrincipal: boolean;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Operator to condition key to values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** What a policy attribute holds, as far as synth can tell. */
export type PolicyRead =
  | { readonly kind: "missing" }
  | { readonly kind: "unverifiable"; readonly value: string }
  | { readonly kind: "invalid"; readonly why: string }
  | { readonly kind: "document"; readonly statements: readonly NormalStatement[] };

/**
 * Where each resource type keeps its policy documents (dotted paths). Resource policies (those with principals)
 * and identity policies alike; the rules tell them apart by the statements' `Principal`.
 */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_policy: ["policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_role: ["assume_role_policy", "inline_policy.policy"],
  aws_kms_key: ["policy"],
  aws_kms_key_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sns_topic: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_ecr_registry_policy: ["policy"],
  aws_ecr_repository_creation_template: ["repository_policy"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
  aws_api_gateway_rest_api_policy: ["policy"],
  aws_api_gateway_rest_api: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_vpc_endpoint: ["policy"],
  aws_vpc_endpoint_policy: ["policy"],
  aws_glacier_vault: ["access_policy"],
};

/** Resource types that hold a policy document. */
export const POLICY_TYPES: readonly string[] = Object.keys(POLICY_ATTRIBUTES);

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function normalizeConditions(raw: unknown): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (raw === null || typeof raw !== "object") return out;
  for (const [operator, entries] of Object.entries(raw as Record<string, unknown>)) {
    out[operator] = {};
    for (const [key, value] of Object.entries((entries ?? {}) as Record<string, unknown>)) {
      out[operator][key] = list(value);
    }
  }
  return out;
}

function fromJson(raw: unknown): NormalStatement {
  const s = (raw ?? {}) as Record<string, unknown>;
  const principalRaw = s.Principal ?? s.NotPrincipal;
  let principal: NormalStatement["principal"];
  if (principalRaw === "*") principal = "*";
  else if (principalRaw !== undefined && principalRaw !== null && typeof principalRaw === "object") {
    const map: Record<string, string[]> = {};
    for (const [kind, ids] of Object.entries(principalRaw as Record<string, unknown>)) map[kind] = list(ids);
    principal = map;
  }
  return {
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    principal,
    notPrincipal: s.NotPrincipal !== undefined,
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    conditions: normalizeConditions(s.Condition),
  };
}

const PRINCIPAL_KINDS: Readonly<Record<string, string>> = {
  AWS: "AWS",
  Service: "Service",
  Federated: "Federated",
  CanonicalUser: "CanonicalUser",
};

function fromDataSource(raw: unknown): NormalStatement {
  const s = (raw ?? {}) as Record<string, unknown>;
  const principalBlocks = (valuesAt(s, "principals") as Record<string, unknown>[]).concat(
    valuesAt(s, "not_principals") as Record<string, unknown>[],
  );
  let principal: NormalStatement["principal"];
  for (const block of principalBlocks) {
    const ids = list(block.identifiers);
    if (block.type === "*" || (block.type === "AWS" && ids.includes("*"))) {
      principal = "*";
      break;
    }
    const kind = PRINCIPAL_KINDS[String(block.type)] ?? String(block.type);
    const map = { ...((principal as Record<string, string[]>) ?? {}) };
    map[kind] = [...(map[kind] ?? []), ...ids];
    principal = map;
  }
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const c of valuesAt(s, "condition") as Record<string, unknown>[]) {
    const operator = String(c.test);
    conditions[operator] = { ...(conditions[operator] ?? {}), [String(c.variable)]: list(c.values) };
  }
  return {
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    principal,
    notPrincipal: valuesAt(s, "not_principals").length > 0,
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    conditions,
  };
}

/**
 * Reads one policy value: a literal JSON document (ARNs inside it may be references: its structure is still
 * literal), or exactly a reference to an `aws_iam_policy_document` data source of the same stack, whose statement
 * blocks are read instead. Anything else that is a `${...}` expression is unverifiable.
 */
export function readPolicy(value: unknown, index: StackIndex): PolicyRead {
  if (value === undefined || value === null || value === "") return { kind: "missing" };
  if (typeof value !== "string") return { kind: "invalid", why: `expected a JSON string, found ${typeof value}` };
  const target = index.target(value);
  if (target && target.element.kind === "data" && target.element.type === "aws_iam_policy_document") {
    const config = target.element.config;
    if (config.source_policy_documents !== undefined || config.override_policy_documents !== undefined) {
      return { kind: "unverifiable", value };
    }
    return { kind: "document", statements: valuesAt(config, "statement").map(fromDataSource) };
  }
  const trimmed = value.trim();
  if (!trimmed.startsWith("{")) {
    return isReference(value) ? { kind: "unverifiable", value } : { kind: "invalid", why: "not a JSON document" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return isReference(value) ? { kind: "unverifiable", value } : { kind: "invalid", why: "not valid JSON" };
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (statements === undefined) return { kind: "invalid", why: "no Statement" };
  return { kind: "document", statements: (Array.isArray(statements) ? statements : [statements]).map(fromJson) };
}

/** Every policy document an element holds, with the attribute it is in. */
export function policiesOf(element: StackElement, index: StackIndex): { attribute: string; policy: PolicyRead }[] {
  const attributes = POLICY_ATTRIBUTES[element.type] ?? [];
  const out: { attribute: string; policy: PolicyRead }[] = [];
  for (const attribute of attributes) {
    const values = valuesAt(element.config, attribute);
    for (const value of values) out.push({ attribute, policy: readPolicy(value, index) });
  }
  return out;
}

/** True when a statement applies to every principal (`"*"` or `{"AWS": "*"}`). */
export function isAnyPrincipal(statement: NormalStatement): boolean {
  if (statement.principal === "*") return true;
  return statement.principal !== undefined && (statement.principal.AWS ?? []).includes("*");
}

/**
 * Condition keys that, compared for equality with a concrete value, tie a wildcard principal to known callers (the
 * keys AWS's own "is this policy public" analysis accepts).
 */
const NARROWING_KEYS = [
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:userid",
  "kms:calleraccount",
];
const NARROWING_OPERATORS = ["stringequals", "stringequalsignorecase", "arnequals", "arnlike", "stringlike"];

/** True when a wildcard-principal statement's conditions narrow it to known callers. */
export function isNarrowedByCondition(statement: NormalStatement): boolean {
  for (const [operator, entries] of Object.entries(statement.conditions)) {
    const op = operator.replace(/^ForAnyValue:|^ForAllValues:/, "").toLowerCase();
    if (!NARROWING_OPERATORS.includes(op)) continue;
    for (const [key, values] of Object.entries(entries)) {
      if (!NARROWING_KEYS.includes(key.toLowerCase())) continue;
      if (values.length > 0 && values.every((v) => v !== "*" && v.trim() !== "" && !/^\*+$/.test(v))) return true;
    }
  }
  return false;
}

/** True when an action pattern holds a wildcard (`*`, `s3:*`, `s3:Get*`, `s3:?etObject`). */
export function isWildcardAction(action: string): boolean {
  return action.includes("*") || action.includes("?");
}
