import type { IConstruct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { ValidationError } from "../core/validation";

/** Whether a statement allows or denies. */
export type PolicyEffect = "Allow" | "Deny";

/** The principals a resource-policy statement applies to; leave out for identity policies. */
export interface PolicyPrincipals {
  /** IAM principal ARNs (roles, users, account roots). Default: none. */
  readonly aws?: readonly string[];
  /** AWS service principals, e.g. `logs.eu-west-1.amazonaws.com`. Default: none. */
  readonly service?: readonly string[];
  /** Federated principals, e.g. an OIDC provider ARN. Default: none. */
  readonly federated?: readonly string[];
}

/** A condition block: operator to (key to value). */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>>;

/** One statement of a policy document. */
export interface PolicyStatement {
  /** Statement ID: letters and digits, unique in the document. */
  readonly sid: string;
  /** Allow or Deny. Default: `Allow`. */
  readonly effect?: PolicyEffect;
  /** Who the statement applies to (resource policies only). Default: none (an identity policy statement). */
  readonly principals?: PolicyPrincipals;
  /**
   * `true` for `"Principal": "*"`: allowed on a Deny statement, where it makes the denial apply to everyone
   * (narrowed by conditions), and in a VPC endpoint policy (see {@link PolicyDocumentOptions}); an Allow to every
   * principal in any other policy is an error. Default: false.
   */
  readonly anyPrincipal?: boolean;
  /**
   * Exact actions (`service:Action`). Wildcards (`s3:*`, `ec2:Describe*`, `*`) are accepted on a Deny, where they
   * widen the denial, and on an Allow only with `wildcardActionReason` (or in an endpoint policy, see
   * {@link PolicyDocumentOptions}).
   */
  readonly actions: readonly string[];
  /**
   * Deny statements only: every action but these (`NotAction`), for denials such as "nothing outside this region
   * except the global services". Leave `actions` empty when set. Default: none.
   */
  readonly notActions?: readonly string[];
  /**
   * Why this Allow needs wildcard actions (for example: a plan role must read every attribute Terraform refreshes).
   * Required when an Allow's `actions` contain a wildcard. Default: none.
   */
  readonly wildcardActionReason?: string;
  /** Resource ARNs. `"*"` needs `wildcardResourceReason`. */
  readonly resources: readonly string[];
  /**
   * Why `"*"` is the narrowest resource AWS offers for these actions (for example: in a key policy `*` means
   * "this key"). Required when `resources` contains `"*"`. Default: none.
   */
  readonly wildcardResourceReason?: string;
  /** Conditions, operator to key to value. Default: none. */
  readonly conditions?: PolicyConditions;
}

/** What kind of policy a document is; it decides what a statement may say. */
export interface PolicyDocumentOptions {
  /**
   * A VPC endpoint policy: a filter on what may pass the endpoint, which grants nothing by itself. There an Allow
   * may name every principal and, with `actions: ["*"]`, every action, but only when it is narrowed: by a
   * `StringEquals` condition on `aws:PrincipalAccount` or `aws:PrincipalOrgID` (the account perimeter), or, for
   * exact actions, by resources none of which is `"*"`. Default: false.
   */
  readonly endpointPolicy?: boolean;
  /**
   * A role's trust policy: every statement names its principals and has no resources (`resources: []`; IAM rejects
   * a `Resource` element in a trust policy), and the rendered statements carry no `Resource`. Default: false.
   */
  readonly trustPolicy?: boolean;
  /**
   * A resource policy whose resource is implied by what it is attached to and that must not name one: an ECR
   * repository policy (ECR rejects a `Resource` element). Every statement names its principals (or every principal,
   * on a Deny) and has `resources: []`. Default: false.
   */
  readonly impliedResource?: boolean;
}

/** Condition keys that keep an endpoint policy statement to known principals. */
const PERIMETER_KEYS = ["aws:PrincipalAccount", "aws:PrincipalOrgID"];

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const ACTION_PATTERN = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const SID = /^[A-Za-z0-9]+$/;

/** The rendered JSON shape of a statement (AWS's field names). */
export interface RenderedStatement {
  /** The statement's ID. */
  Sid: string;
  /** `Allow` or `Deny`. */
  Effect: PolicyEffect;
  /** Whom a resource or trust policy's statement applies to. */
  Principal?: "*" | Record<string, string[]>;
  /** The actions. */
  Action?: string[];
  /** The actions a denial spares (a Deny statement only). */
  NotAction?: string[];
  /** The resources. */
  Resource?: string[];
  /** The conditions, by operator and key. */
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/**
 * The one typed way this project writes IAM and resource policies. Every statement is checked when added:
 * exact actions only (no `*`, no `s3:Get*`), no Allow to every principal, and no wildcard resource without a
 * written reason. The rendered JSON is a literal string (with `${...}` references only where an ARN is known at
 * apply time), so checkov and the guardrails can read it.
 */
export class PolicyDocument {
  private readonly statements: PolicyStatement[] = [];

  /** @param where - the construct path or policy name, used in error messages */
  constructor(
    private readonly where: string,
    statements: readonly PolicyStatement[] = [],
    private readonly options: PolicyDocumentOptions = {},
  ) {
    for (const s of statements) this.addStatement(s);
  }

  /** Adds a statement after checking it. */
  public addStatement(statement: PolicyStatement): this {
    const at = `${this.where} statement ${statement.sid}`;
    if (!SID.test(statement.sid)) {
      throw new ValidationError(at, "sid", statement.sid, "allowed: letters and digits only");
    }
    if (this.statements.some((s) => s.sid === statement.sid)) {
      throw new ValidationError(at, "sid", statement.sid, "allowed: a Sid not used by another statement");
    }
    const effect = statement.effect ?? "Allow";
    const notActions = statement.notActions ?? [];
    if (notActions.length > 0) {
      if (effect !== "Deny") {
        throw new ValidationError(at, "notActions", notActions, "allowed: NotAction on a Deny statement only");
      }
      if (statement.actions.length > 0) {
        throw new ValidationError(at, "actions", statement.actions, "allowed: none when notActions is set");
      }
      for (const action of notActions) {
        if (!ACTION_PATTERN.test(action)) {
          throw new ValidationError(at, "notActions", action, 'allowed: "service:Action" names or patterns');
        }
      }
    } else if (statement.actions.length === 0) {
      throw new ValidationError(at, "actions", statement.actions, "allowed: at least one exact action");
    }
    const perimeter = Object.keys(statement.conditions?.StringEquals ?? {}).some((k) => PERIMETER_KEYS.includes(k));
    const everyAction = this.options.endpointPolicy && statement.actions.length === 1 && statement.actions[0] === "*";
    if (everyAction && !perimeter) {
      throw new ValidationError(
        at,
        "actions",
        "*",
        "allowed: every action in an endpoint policy only under a StringEquals condition on aws:PrincipalAccount or aws:PrincipalOrgID",
      );
    }
    const wildcardsAllowed = effect === "Deny" || Boolean(statement.wildcardActionReason?.trim());
    for (const action of everyAction ? [] : statement.actions) {
      if (wildcardsAllowed ? !ACTION_PATTERN.test(action) : !ACTION.test(action)) {
        throw new ValidationError(
          at,
          "actions",
          action,
          wildcardsAllowed
            ? 'allowed: "service:Action" names or patterns'
            : 'allowed: an exact "service:Action" name, no wildcards (an Allow needs a wildcardActionReason for them)',
        );
      }
    }
    if (this.options.trustPolicy || this.options.impliedResource) {
      const kind = this.options.trustPolicy ? "a trust policy" : "a policy whose resource is implied";
      if (statement.resources.length > 0) {
        throw new ValidationError(at, "resources", statement.resources, `allowed: none in ${kind} ([])`);
      }
      if (!statement.principals && !(this.options.impliedResource && statement.anyPrincipal)) {
        throw new ValidationError(
          at,
          "principals",
          undefined,
          "allowed: the named principals that may assume the role",
        );
      }
    } else if (statement.resources.length === 0) {
      throw new ValidationError(at, "resources", statement.resources, "allowed: at least one resource ARN");
    }
    if (statement.resources.includes("*") && !statement.wildcardResourceReason?.trim()) {
      throw new ValidationError(
        at,
        "resources",
        "*",
        "allowed: a wildcard resource only with a wildcardResourceReason saying why no narrower resource exists",
      );
    }
    if (statement.anyPrincipal && effect === "Allow") {
      if (!this.options.endpointPolicy) {
        throw new ValidationError(
          at,
          "anyPrincipal",
          true,
          "allowed: every principal only on a Deny statement, or in an endpoint policy",
        );
      }
      if (!perimeter && statement.resources.includes("*")) {
        throw new ValidationError(
          at,
          "anyPrincipal",
          true,
          'allowed: every principal in an endpoint policy only under a StringEquals condition on aws:PrincipalAccount or aws:PrincipalOrgID, or on resources none of which is "*"',
        );
      }
    }
    const p = statement.principals;
    for (const [kind, list] of Object.entries({ aws: p?.aws, service: p?.service, federated: p?.federated })) {
      if (list?.some((arn) => arn === "*" || arn.trim() === "")) {
        throw new ValidationError(at, `principals.${kind}`, list, 'allowed: named principals, never "*" or ""');
      }
    }
    if (p && !(p.aws?.length || p.service?.length || p.federated?.length)) {
      throw new ValidationError(at, "principals", p, "allowed: at least one named principal, or leave principals out");
    }
    this.statements.push(statement);
    return this;
  }

  /** A new document with the same statements and options, to extend without changing this one. */
  public copy(): PolicyDocument {
    return new PolicyDocument(this.where, this.statements, this.options);
  }

  /** The reasons given for wildcard actions in Allow statements, in order (for the guardrails' register). */
  public get wildcardActionReasons(): string[] {
    return this.statements
      .filter((s) => s.wildcardActionReason?.trim())
      .map((s) => `${s.sid}: ${s.wildcardActionReason}`);
  }

  /** The Sids of the statements, in order. */
  public get sids(): string[] {
    return this.statements.map((s) => s.sid);
  }

  /** True when the document has no statement yet. */
  public get isEmpty(): boolean {
    return this.statements.length === 0;
  }

  /** The policy as a plain object with AWS's field names. */
  public toObject(): { Version: "2012-10-17"; Statement: RenderedStatement[] } {
    return { Version: "2012-10-17", Statement: this.statements.map(render) };
  }

  /** The policy as a JSON string, ready for a `policy` argument. */
  public toJson(): string {
    return JSON.stringify(this.toObject());
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function render(s: PolicyStatement): RenderedStatement {
  let principal: RenderedStatement["Principal"];
  if (s.anyPrincipal) {
    principal = "*";
  } else if (s.principals) {
    principal = {};
    if (s.principals.aws?.length) principal.AWS = unique(s.principals.aws);
    if (s.principals.service?.length) principal.Service = unique(s.principals.service);
    if (s.principals.federated?.length) principal.Federated = unique(s.principals.federated);
  }
  let condition: RenderedStatement["Condition"];
  if (s.conditions && Object.keys(s.conditions).length > 0) {
    condition = {};
    for (const [operator, entries] of Object.entries(s.conditions)) {
      condition[operator] = {};
      for (const [key, value] of Object.entries(entries)) {
        condition[operator][key] = Array.isArray(value) ? [...value] : (value as string | boolean);
      }
    }
  }
  // AWS's own field order, so rendered policies read like the documentation's.
  return {
    Sid: s.sid,
    Effect: s.effect ?? "Allow",
    ...(principal === undefined ? {} : { Principal: principal }),
    ...((s.notActions ?? []).length > 0 ? { NotAction: unique(s.notActions ?? []) } : { Action: unique(s.actions) }),
    ...(s.resources.length === 0 ? {} : { Resource: unique(s.resources) }),
    ...(condition === undefined ? {} : { Condition: condition }),
  };
}

/**
 * Records, on the resource that holds a rendered document, the guardrail suppression its wildcard actions need
 * (SMD-IAM-2), with the reasons the statements give: the reason lives once, next to the statement, and shows in the
 * guardrail reports and the controls matrix. Nothing is recorded for a document without wildcard actions.
 */
export function suppressWildcardActions(holder: IConstruct, document: PolicyDocument): void {
  const reasons = document.wildcardActionReasons;
  if (reasons.length > 0) Guardrails.suppress(holder, "SMD-IAM-2", `Wildcard actions on purpose. ${reasons.join(" ")}`);
}
