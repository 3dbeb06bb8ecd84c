import { isAnyPrincipal, readPolicy } from "../policy-documents";
import { problems, type Rule, requireLiteral } from "../rule";
import { type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";

const REPOSITORY = [{ kind: "resource" as const, types: ["aws_ecr_repository"] }];
const REPOSITORY_OR_TEMPLATE = [
  { kind: "resource" as const, types: ["aws_ecr_repository", "aws_ecr_repository_creation_template"] },
];

/** The problems with a repository's or a creation template's encryption configuration. */
function encryptionProblems(element: StackElement): string[] {
  const configurations = valuesAt(element.config, "encryption_configuration") as Record<string, unknown>[];
  if (configurations.length === 0)
    return ["encryption_configuration is not set, so ECR uses AES-256 under its own key"];
  return configurations.flatMap((c) =>
    problems(
      requireLiteral(c, "encryption_type", "KMS"),
      c.kms_key ? undefined : "kms_key is not set, so ECR uses the AWS-managed key",
    ),
  );
}

/** The companions of a repository: resources of `type` whose `repository` refers to it. */
function companions(repository: StackElement, index: StackIndex, type: string): StackElement[] {
  return index.referrers(repository, type, "repository");
}

/** Rules for ECR repositories and the templates of the repositories ECR creates itself. */
export const REGISTRY_RULES: readonly Rule[] = [
  {
    id: "SMD-ECR-1",
    title: "ECR repositories keep image tags immutable",
    level: "error",
    controls: ["C-ARTIFACT-INTEGRITY"],
    checkov: ["CKV_AWS_51"],
    fix: 'set image_tag_mutability = "IMMUTABLE" (ContainerRegistry does): a pushed tag can then never point at another image',
    targets: REPOSITORY,
    check: (repository) => problems(requireLiteral(repository.config, "image_tag_mutability", "IMMUTABLE")),
  },
  {
    id: "SMD-ECR-2",
    title: "ECR repositories scan every image on push",
    level: "error",
    controls: ["C-ARTIFACT-INTEGRITY"],
    checkov: ["CKV_AWS_163"],
    fix: "set image_scanning_configuration.scan_on_push = true (ContainerRegistry does)",
    targets: REPOSITORY,
    check: (repository) =>
      valueAt(repository.config, "image_scanning_configuration.scan_on_push") === true
        ? []
        : ["image_scanning_configuration.scan_on_push is not true"],
  },
  {
    id: "SMD-ECR-3",
    title: "ECR repositories, and those ECR creates from templates, encrypt with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_136"],
    fix: 'set encryption_configuration { encryption_type = "KMS", kms_key = <a KmsKey ARN> } (ContainerRegistry does)',
    targets: REPOSITORY_OR_TEMPLATE,
    check: (element) => encryptionProblems(element),
  },
  {
    id: "SMD-ECR-4",
    title: "ECR repositories have a lifecycle policy and a repository policy that allows no one at large",
    level: "error",
    controls: ["C-RESTRICTED-MODEL-ACCESS", "C-LEAST-PRIVILEGE"],
    checkov: ["CKV_AWS_32"],
    fix: "add an aws_ecr_lifecycle_policy and an aws_ecr_repository_policy (or lifecycle_policy and repository_policy on a creation template) that names who may pull and push and denies everyone else; ContainerRegistry does",
    targets: REPOSITORY_OR_TEMPLATE,
    check: (element, index) => {
      const template = element.type === "aws_ecr_repository_creation_template";
      const lifecycle = template
        ? [element.config.lifecycle_policy]
        : companions(element, index, "aws_ecr_lifecycle_policy");
      const policies = template
        ? [element.config.repository_policy]
        : companions(element, index, "aws_ecr_repository_policy").map((p) => p.config.policy);
      const found: string[] = [];
      if (lifecycle.filter(Boolean).length === 0) found.push("no lifecycle policy, so images pile up without end");
      const documents = policies.filter(Boolean).map((p) => readPolicy(p, index));
      if (documents.length === 0)
        found.push("no repository policy, so every identity policy of the account decides alone");
      for (const document of documents) {
        if (document.kind !== "document") continue;
        if (document.statements.some((s) => s.effect === "Allow" && isAnyPrincipal(s))) {
          found.push("the repository policy allows every principal");
        }
        if (!document.statements.some((s) => s.effect === "Deny" && isAnyPrincipal(s))) {
          found.push("the repository policy denies no one: pulls and pushes are not kept to the named roles");
        }
      }
      return found;
    },
  },
  {
    id: "SMD-ECR-5",
    title: "ECR repositories are protected from destroy",
    level: "error",
    controls: ["C-DATA-DURABILITY", "C-ARTIFACT-INTEGRITY"],
    fix: "set lifecycle.prevent_destroy = true and leave force_delete unset or false (ContainerRegistry does): deleting a repository deletes every image a workload pins",
    targets: REPOSITORY,
    check: (repository) => {
      const found: string[] = [];
      const prevent = valueAt(repository.config, "lifecycle.prevent_destroy");
      if (prevent !== true)
        found.push(`lifecycle.prevent_destroy is ${JSON.stringify(prevent ?? null)} (must be true)`);
      const force = repository.config.force_delete;
      if (force !== undefined && force !== false) found.push(`force_delete is ${JSON.stringify(force)}`);
      return found;
    },
  },
];
