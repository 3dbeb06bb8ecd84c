/**
 * What CI needs to plan and apply a synthesized environment: the stacks in deploy order and a readable summary of
 * each saved plan. Pure functions; `scripts/terraform.ts` runs Terraform with them.
 */

/** The part of cdktf's `manifest.json` that gives the stacks and their dependencies. */
export interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly dependencies?: readonly string[] }>>;
}

/** The stacks in an order that deploys every stack after the stacks it depends on (ties alphabetical). */
export function deployOrder(manifest: Manifest): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting")
      throw new Error(`stack dependencies form a cycle: ${[...path, name].join(" -> ")}`);
    const stack = manifest.stacks[name];
    if (!stack) throw new Error(`stack ${path.at(-1)} depends on ${name}, which the manifest does not have`);
    state.set(name, "visiting");
    for (const dependency of [...(stack.dependencies ?? [])].sort()) visit(dependency, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(manifest.stacks).sort()) visit(name, []);
  return order;
}

/** The part of `terraform show -json <plan>` the summary reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly change: { readonly actions: readonly string[] };
  }[];
}

/** What one stack's plan would do. */
export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  /** Addresses of the resources the plan deletes or replaces: what a reviewer must look at first. */
  readonly destructive: readonly string[];
}

/** Counts the changes of a saved plan. */
export function planCounts(plan: PlanJson): PlanCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const destructive: string[] = [];
  for (const { address, change } of plan.resource_changes ?? []) {
    const actions = change.actions;
    if (actions.includes("delete") && actions.includes("create")) counts.replace += 1;
    else if (actions.includes("create")) counts.create += 1;
    else if (actions.includes("update")) counts.update += 1;
    else if (actions.includes("delete")) counts.delete += 1;
    else continue;
    if (actions.includes("delete")) destructive.push(address);
  }
  return { ...counts, destructive };
}

/** The part of a synthesized stack's `cdk.tf.json` that says which providers it configures. */
export interface StackJson {
  readonly provider?: Readonly<Record<string, unknown>>;
}

/**
 * Why a stack cannot be planned before its dependencies are applied, or undefined when it can: a stack with a
 * kubernetes provider talks to a cluster it looks up by name, so while a dependency's plan still creates (or
 * replaces) that EKS cluster, there is no API to plan against. It is planned in the run that follows the apply.
 */
export function waitsForApply(
  stack: StackJson,
  dependencies: readonly { readonly stack: string; readonly plan: PlanJson }[],
): string | undefined {
  if (stack.provider?.kubernetes === undefined) return undefined;
  const creating = dependencies.filter(({ plan }) =>
    (plan.resource_changes ?? []).some(
      (r) => r.address.startsWith("aws_eks_cluster.") && r.change.actions.includes("create"),
    ),
  );
  if (creating.length === 0) return undefined;
  return `planned once ${creating.map((d) => d.stack).join(", ")} is applied: its plan creates the EKS cluster this stack deploys to`;
}

/** One stack's line in the summary: what its plan would do, or why it was not planned yet. */
export type StackSummary =
  | { readonly stack: string; readonly counts: PlanCounts }
  | { readonly stack: string; readonly waiting: string };

/** A Markdown summary of an environment's plans, for the job summary and the pull-request comment. */
export function planMarkdown(environment: string, stacks: readonly StackSummary[]): string {
  const lines = [
    `### Terraform plan: ${environment}`,
    "",
    "| stack | create | update | replace | delete |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...stacks.map((s) =>
      "counts" in s
        ? `| \`${s.stack}\` | ${s.counts.create} | ${s.counts.update} | ${s.counts.replace} | ${s.counts.delete} |`
        : `| \`${s.stack}\` | ${s.waiting} | | | |`,
    ),
  ];
  const destructive = stacks.flatMap((s) =>
    "counts" in s ? s.counts.destructive.map((a) => `${s.stack}: \`${a}\``) : [],
  );
  lines.push("");
  if (destructive.length === 0) lines.push("Nothing is deleted or replaced.");
  else lines.push("**Deleted or replaced (review these first):**", "", ...destructive.map((d) => `- ${d}`));
  return `${lines.join("\n")}\n`;
}
