import { policiesOf, readPolicy } from "../../../policies/guardrails/policy-documents";
import { StackIndex } from "../../../policies/guardrails/stack-index";
import { IAM_RULES } from "../../../policies/guardrails/rules/iam-rules";

const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/** An index over one aws_iam_policy (and, optionally, a policy document data source) with the given policy. */
function indexWith(policy: unknown, dataStatements?: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return new StackIndex("s", "s", {
    resource: { aws_iam_policy: { P: { policy } } },
    data: dataStatements ? { aws_iam_policy_document: { D: { statement: dataStatements, ...extra } } } : undefined,
  });
}

function problemsOf(ruleId: string, index: StackIndex): string[] {
  const rule = IAM_RULES.find((r) => r.id === ruleId)!;
  return rule.check(index.get("aws_iam_policy.P")!, index);
}

describe("reading policy documents", () => {
  it("reads literal JSON whose ARNs are references: its structure is still literal", () => {
    const index = indexWith(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "${aws_s3_bucket.b.arn}/*" }));
    expect(readPolicy(index.get("aws_iam_policy.P")!.config.policy, index)).toMatchObject({
      kind: "document",
      statements: [{ effect: "Allow", actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.b.arn}/*"] }],
    });
  });

  it("follows a reference to an aws_iam_policy_document of the same stack", () => {
    const index = indexWith("${data.aws_iam_policy_document.D.json}", [
      { effect: "Allow", actions: ["*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] },
    ]);
    expect(problemsOf("SMD-IAM-1", index)).toEqual(["policy statement #1: allows every action on every resource"]);
    expect(problemsOf("SMD-IAM-3", index)).toEqual([
      "policy statement #1: allows every principal without a condition that narrows it",
    ]);
  });

  it("cannot verify a document merged from others, a jsonencode() or a reference elsewhere", () => {
    const merged = indexWith("${data.aws_iam_policy_document.D.json}", [], { source_policy_documents: ["{}"] });
    expect(problemsOf("SMD-IAM-4", merged)).toEqual([
      "policy is the reference ${data.aws_iam_policy_document.D.json}, which cannot be verified",
    ]);
    expect(problemsOf("SMD-IAM-4", indexWith("${jsonencode({})}"))).toHaveLength(1);
    expect(problemsOf("SMD-IAM-4", indexWith("${aws_iam_policy.other.policy}"))).toHaveLength(1);
  });

  it("reports what is not a policy document", () => {
    expect(problemsOf("SMD-IAM-4", indexWith("not json"))).toEqual([
      "policy is not a policy document: not a JSON document",
    ]);
    expect(problemsOf("SMD-IAM-4", indexWith("{ broken"))).toEqual(["policy is not a policy document: not valid JSON"]);
    expect(problemsOf("SMD-IAM-4", indexWith("{}"))).toEqual(["policy is not a policy document: no Statement"]);
  });

  it("treats NotAction and NotPrincipal in an Allow as what they are: nearly everything", () => {
    const notAction = indexWith(doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }));
    expect(problemsOf("SMD-IAM-1", notAction)).toHaveLength(1);
    expect(problemsOf("SMD-IAM-2", notAction)).toEqual([
      "policy statement #1: allows everything but iam:* (NotAction)",
    ]);
    const notPrincipal = indexWith(
      doc({
        Effect: "Allow",
        NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "s3:GetObject",
        Resource: "*",
      }),
    );
    expect(problemsOf("SMD-IAM-3", notPrincipal)).toEqual([
      "policy statement #1: allows every principal but those listed (NotPrincipal)",
    ]);
  });

  it("leaves Deny statements alone: a wildcard deny is a good thing", () => {
    const deny = indexWith(doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }));
    for (const id of ["SMD-IAM-1", "SMD-IAM-2", "SMD-IAM-3"]) expect(problemsOf(id, deny)).toEqual([]);
  });

  it("finds every policy of a role: its trust policy and each inline policy", () => {
    const index = new StackIndex("s", "s", {
      resource: {
        aws_iam_role: {
          R: {
            assume_role_policy: doc({
              Effect: "Allow",
              Principal: { Service: "eks.amazonaws.com" },
              Action: "sts:AssumeRole",
            }),
            inline_policy: [{ name: "a", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }],
          },
        },
      },
    });
    expect(policiesOf(index.get("aws_iam_role.R")!, index).map((p) => [p.attribute, p.policy.kind])).toEqual([
      ["assume_role_policy", "document"],
      ["inline_policy.policy", "document"],
    ]);
  });
});
