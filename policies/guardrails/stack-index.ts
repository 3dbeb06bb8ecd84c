/**
 * A synthesized stack as the rules see it: every element of its resolved Terraform JSON (what lands in
 * `cdk.tf.json`, overrides included) with its construct path and address, and an index of the references between
 * them, so that a rule can find the resources that point at one (a bucket's separate encryption, versioning,
 * logging and public-access-block resources; a VPC's flow log; a stage's WAF association).
 */

/** What kind of Terraform element an entry is. */
export type ElementKind = "resource" | "data" | "provider" | "backend" | "output";

/** One element of the resolved stack. */
export interface StackElement {
  /** Resource, data source, provider, backend or output. */
  readonly kind: ElementKind;
  /** Resource or data source type (`aws_kms_key`), provider name (`aws`), backend type (`s3`) or `output`. */
  readonly type: string;
  /** The element's name in the JSON (logical ID, provider alias or `default`, backend type, output name). */
  readonly name: string;
  /** Terraform address: `aws_kms_key.Key_1A2B`, `data.aws_caller_identity.X`, `provider.aws`, `terraform.backend.s3`, `output.x`. */
  readonly address: string;
  /** Construct path (`platform-dev/LogsKey/Key`), or the stack's path when the JSON does not say. */
  readonly path: string;
  /** The resolved configuration, without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A reference from one element to another, found in a `${...}` expression. */
export interface Reference {
  /** The element that holds the expression. */
  readonly from: StackElement;
  /** Top-level attribute of `from` that holds it (`bucket`, `policy`, `rule`). */
  readonly attribute: string;
  /** Address of the element referred to (`aws_s3_bucket.Models_1A2B`). */
  readonly to: string;
  /** The attribute referred to (`id`, `arn`, `json`). */
  readonly toAttribute: string;
}

/** The resolved JSON of one stack, as `stack.toTerraform()` returns it. */
export interface ResolvedStack {
  /** Resources by type and name. */
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  /** Data sources by type and name. */
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  /** Providers by name, each a list (aliases). */
  readonly provider?: Record<string, Record<string, unknown>[]>;
  /** Outputs by name. */
  readonly output?: Record<string, Record<string, unknown>>;
  /** The `terraform` block: its backend by type. */
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
}

/** Construct paths of the elements the JSON carries no path for (providers, backend, outputs), by address. */
export type ElementPaths = ReadonlyMap<string, string>;

const EXPRESSION = /\$\{([^}]*)\}/g;
const TRAVERSAL = /(?:^|[^\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)\.([a-z_][a-z0-9_]*)/g;

/** True when a value is, or contains, a Terraform expression (`${...}`): known only at apply time. */
export function isReference(value: unknown): value is string {
  return typeof value === "string" && value.includes("${");
}

/**
 * Every value at a dotted path, descending through lists (Terraform blocks are lists in JSON):
 * `valuesAt(config, "rule.apply_server_side_encryption_by_default.sse_algorithm")`.
 */
export function valuesAt(config: unknown, path: string): unknown[] {
  let current: unknown[] = [config];
  for (const key of path.split(".")) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value !== null && typeof value === "object" && key in value) {
        next.push((value as Record<string, unknown>)[key]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** The one value at a dotted path, or undefined. */
export function valueAt(config: unknown, path: string): unknown {
  return valuesAt(config, path)[0];
}

function strip(config: Record<string, unknown>): Record<string, unknown> {
  const { "//": _metadata, ...rest } = config;
  return rest;
}

function metadataPath(config: Record<string, unknown>): string | undefined {
  const metadata = config["//"] as { metadata?: { path?: string } } | undefined;
  return metadata?.metadata?.path;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into);
}

/** The elements referred to by the expressions in a value: `[address, attribute]` pairs. */
export function referencesIn(value: unknown): [string, string][] {
  const strings: string[] = [];
  collectStrings(value, strings);
  const found: [string, string][] = [];
  for (const text of strings) {
    for (const expression of text.matchAll(EXPRESSION)) {
      for (const match of expression[1].matchAll(TRAVERSAL)) found.push([match[1], match[2]]);
    }
  }
  return found;
}

/** The index over one resolved stack. */
export class StackIndex {
  /** Every element, in JSON order. */
  public readonly elements: readonly StackElement[];
  private readonly byAddress = new Map<string, StackElement>();
  private readonly incoming = new Map<string, Reference[]>();

  /**
   * Indexes one stack's resolved JSON.
   * @param stack - the stack's name
   * @param stackPath - the stack's construct path (its name, for a top-level stack)
   * @param json - the stack's resolved Terraform JSON
   * @param paths - construct paths for providers, backend and outputs, by address
   */
  /** The stack's name. */
  public readonly stack: string;

  constructor(stack: string, stackPath: string, json: ResolvedStack, paths: ElementPaths = new Map()) {
    this.stack = stack;
    const elements: StackElement[] = [];
    const add = (kind: ElementKind, type: string, name: string, address: string, raw: Record<string, unknown>) => {
      elements.push({
        kind,
        type,
        name,
        address,
        path: metadataPath(raw) ?? paths.get(address) ?? stackPath,
        config: strip(raw),
      });
    };
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, raw] of Object.entries(byName)) add("resource", type, name, `${type}.${name}`, raw);
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const [name, raw] of Object.entries(byName)) add("data", type, name, `data.${type}.${name}`, raw);
    }
    for (const [type, list] of Object.entries(json.provider ?? {})) {
      for (const raw of list) {
        const alias = typeof raw.alias === "string" ? raw.alias : undefined;
        add("provider", type, alias ?? "default", alias ? `provider.${type}.${alias}` : `provider.${type}`, raw);
      }
    }
    for (const [type, raw] of Object.entries(json.terraform?.backend ?? {})) {
      add("backend", type, type, `terraform.backend.${type}`, raw);
    }
    for (const [name, raw] of Object.entries(json.output ?? {})) add("output", "output", name, `output.${name}`, raw);
    this.elements = elements;

    for (const element of elements) {
      this.byAddress.set(element.address, element);
      for (const [attribute, value] of Object.entries(element.config)) {
        for (const [to, toAttribute] of referencesIn(value)) {
          const list = this.incoming.get(to) ?? [];
          list.push({ from: element, attribute, to, toAttribute });
          this.incoming.set(to, list);
        }
      }
    }
  }

  /** Every element of a kind and, optionally, a type. */
  public all(kind: ElementKind, type?: string): StackElement[] {
    return this.elements.filter((e) => e.kind === kind && (type === undefined || e.type === type));
  }

  /** The element at an address, if the stack has it. */
  public get(address: string): StackElement | undefined {
    return this.byAddress.get(address);
  }

  /**
   * The resources of a type whose `attribute` refers to `target` (for example the
   * `aws_s3_bucket_versioning` whose `bucket` is `${aws_s3_bucket.Models.id}`).
   */
  public referrers(target: StackElement, type: string, attribute: string): StackElement[] {
    return (this.incoming.get(target.address) ?? [])
      .filter((r) => r.from.kind === "resource" && r.from.type === type && r.attribute === attribute)
      .map((r) => r.from)
      .filter((e, i, list) => list.indexOf(e) === i);
  }

  /**
   * The single element a value refers to when the value is exactly one `${address.attribute}` expression, the
   * attribute possibly indexed into (`${kubernetes_namespace_v1.x.metadata[0].name}` refers to the namespace).
   */
  public target(value: unknown): { element: StackElement; attribute: string } | undefined {
    if (typeof value !== "string") return undefined;
    const match =
      /^\$\{((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)\.([a-z_][a-z0-9_]*)(?:\[\d+\](?:\.[a-z_][a-z0-9_]*)*)?\}$/.exec(
        value,
      );
    const element = match ? this.byAddress.get(match[1]) : undefined;
    return element && match ? { element, attribute: match[2] } : undefined;
  }
}
