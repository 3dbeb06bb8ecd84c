/**
 * IAM simulation over synthesized policies: evaluates a request against the identity policies of the caller and
 * the resource's policy (bucket policy, key policy, trust policy) as AWS's policy evaluation logic would, to prove
 * what a role may do and, above all, what it may not.
 *
 * Built on `@cloud-copilot/iam-simulate` (AGPL-3.0-or-later, a dev dependency: tests import this module, the
 * blueprint's stacks and constructs never do).
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";

/** A policy document as AWS reads it. */
export interface PolicyJson {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** What AWS decides. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** One request to evaluate. */
export interface AccessRequest {
  /** The caller: an IAM ARN (role, assumed-role session, user, the account's root user) or a service principal. */
  readonly principal: string;
  /** The exact action, `service:Action`. */
  readonly action: string;
  /** The resource ARN. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /** The caller's identity policies. Default: none (the root user is given its implicit full access). */
  readonly identityPolicies?: readonly PolicyJson[];
  /** The resource's policy: a bucket, key or trust policy. Default: none. */
  readonly resourcePolicy?: PolicyJson;
  /** The caller's permissions boundary. Default: none. */
  readonly permissionsBoundary?: PolicyJson;
  /** The policy of the VPC endpoint the request passes through. Default: none (the request uses no endpoint). */
  readonly endpointPolicy?: PolicyJson;
  /**
   * Request context. `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and
   * `aws:SecureTransport` = `true` are filled in from the principal unless given. Default: none more.
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Replaces every `${...}` expression of a synthesized policy (ARNs known only at apply time) with a concrete
 * value, and parses it. Throws when an expression has no value, so that no policy is evaluated half-resolved.
 */
export function materializePolicy(policy: unknown, valueFor: (expression: string) => string | undefined): PolicyJson {
  if (typeof policy !== "string") throw new Error(`policy is not a JSON string: ${JSON.stringify(policy)}`);
  const text = policy.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    const value = valueFor(expression);
    if (value === undefined) throw new Error(`no value given for the expression \${${expression}}`);
    return value;
  });
  return JSON.parse(text) as PolicyJson;
}

/** The context AWS derives from the principal itself. */
function principalContext(principal: string): Record<string, string> {
  const arn = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(principal);
  if (!arn) return {};
  const [, partition, , account, rest] = arn;
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(rest);
  if (rest === "root") {
    return { "aws:PrincipalArn": principal, "aws:PrincipalAccount": account, "aws:PrincipalType": "Account" };
  }
  if (session || rest.startsWith("role/")) {
    const role = session ? `arn:${partition}:iam::${account}:role/${session[1]}` : principal;
    return { "aws:PrincipalArn": role, "aws:PrincipalAccount": account, "aws:PrincipalType": "AssumedRole" };
  }
  return { "aws:PrincipalArn": principal, "aws:PrincipalAccount": account, "aws:PrincipalType": "User" };
}

function allowAll(action: string, resource: string): PolicyJson {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] };
}

/**
 * The simulator does not yet recognize two families of condition keys (it knows only `/`-style variable keys such as
 * `aws:PrincipalTag/<key>`, and drops the others from the request): KMS's `kms:EncryptionContext:<key>`, and the
 * claims of an OIDC provider (`token.actions.githubusercontent.com:sub`), which IAM names after the provider. The
 * harness renames both, in the policies and in the request alike, to a global `/`-style key it does recognize.
 * Operators and values are untouched, so the evaluation is the same.
 */
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:(.+)$/i;
const OIDC_CLAIM = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^:]*)?):(aud|sub|amr|azp|oaud|email|[a-z_]+)$/i;
const renameKey = (key: string) =>
  key
    .replace(ENCRYPTION_CONTEXT, "aws:PrincipalTag/kms-encryption-context:$1")
    .replace(OIDC_CLAIM, "aws:PrincipalTag/oidc:$1:$2");

function renameConditionKeys(policy: PolicyJson): PolicyJson {
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => {
      const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (!condition) return statement;
      const renamed: Record<string, Record<string, unknown>> = {};
      for (const [operator, entries] of Object.entries(condition)) {
        renamed[operator] = Object.fromEntries(Object.entries(entries).map(([k, v]) => [renameKey(k), v]));
      }
      return { ...statement, Condition: renamed };
    }),
  };
}

/**
 * Evaluates one request. The simulator validates actions, resource ARNs and context keys and rejects what AWS would
 * not accept; a context key that does not apply to the action is an error here, so a typo cannot make a denial pass.
 */
export async function decide(request: AccessRequest): Promise<Decision> {
  const isRoot = /^arn:[^:]+:iam::\d{12}:root$/.test(request.principal);
  // The root user has every permission on its own account's resources unless a resource policy says otherwise.
  const identity = request.identityPolicies ?? (isRoot ? [allowAll(request.action, request.resource)] : []);
  const context: Record<string, string | string[]> = {
    "aws:SecureTransport": "true",
    ...principalContext(request.principal),
  };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[renameKey(key)] = typeof value === "string" ? value : [...value];
  }
  const simulation = {
    identityPolicies: identity.map((policy, i) => ({ name: `identity${i + 1}`, policy: renameConditionKeys(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy && renameConditionKeys(request.resourcePolicy),
    permissionBoundaryPolicies: request.permissionsBoundary && [
      { name: "boundary", policy: renameConditionKeys(request.permissionsBoundary) },
    ],
    vpcEndpointPolicies: request.endpointPolicy && [
      { name: "endpoint", policy: renameConditionKeys(request.endpointPolicy) },
    ],
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: context,
    },
  };
  // The simulator's types are loose JSON shapes; ours are stricter and structurally compatible.
  const response = await runSimulation(simulation as Parameters<typeof runSimulation>[0], {});
  if (response.resultType === "error") {
    throw new Error(`the simulator rejected the request: ${JSON.stringify(response.errors)}`);
  }
  const given = Object.keys(request.context ?? {}).map(renameKey);
  const ignored = (response.resultType === "single" ? (response.result.ignoredContextKeys ?? []) : []).filter((k) =>
    given.includes(k),
  );
  if (ignored.length > 0) {
    throw new Error(`context keys ${ignored.join(", ")} do not apply to ${request.action} on ${request.resource}`);
  }
  return response.overallResult as Decision;
}
