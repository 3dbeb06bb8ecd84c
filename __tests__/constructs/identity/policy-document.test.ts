import { PolicyDocument, type PolicyStatement } from "../../../constructs/identity/policy-document";

const base: PolicyStatement = { sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/models/*"] };

describe("PolicyDocument", () => {
  it("renders statements in AWS's field order with deduplicated lists", () => {
    const doc = new PolicyDocument("test", [
      {
        sid: "Read",
        principals: { aws: ["arn:aws:iam::111122223333:role/reader", "arn:aws:iam::111122223333:role/reader"] },
        actions: ["s3:GetObject", "s3:GetObject", "s3:GetObjectVersion"],
        resources: ["arn:aws:s3:::bucket/*"],
        conditions: { Bool: { "aws:SecureTransport": true } },
      },
    ]);
    const rendered = JSON.parse(doc.toJson());
    expect(rendered.Version).toBe("2012-10-17");
    expect(Object.keys(rendered.Statement[0])).toEqual([
      "Sid",
      "Effect",
      "Principal",
      "Action",
      "Resource",
      "Condition",
    ]);
    expect(rendered.Statement[0].Action).toEqual(["s3:GetObject", "s3:GetObjectVersion"]);
    expect(rendered.Statement[0].Principal).toEqual({ AWS: ["arn:aws:iam::111122223333:role/reader"] });
    expect(rendered.Statement[0].Condition).toEqual({ Bool: { "aws:SecureTransport": true } });
  });

  it("leaves Principal out of identity-policy statements", () => {
    const rendered = new PolicyDocument("test", [base]).toObject();
    expect(rendered.Statement[0]).not.toHaveProperty("Principal");
    expect(rendered.Statement[0].Effect).toBe("Allow");
  });

  it("allows a Deny to every principal", () => {
    const doc = new PolicyDocument("test", [
      {
        ...base,
        sid: "DenyInsecure",
        effect: "Deny",
        anyPrincipal: true,
        conditions: { Bool: { "aws:SecureTransport": false } },
      },
    ]);
    expect(doc.toObject().Statement[0].Principal).toBe("*");
  });

  it.each([
    ["a wildcard action", { actions: ["*"] }, /actions = "\*" is not allowed/],
    ["a service wildcard", { actions: ["s3:*"] }, /actions = "s3:\*"/],
    ["a prefix wildcard", { actions: ["s3:Get*"] }, /actions = "s3:Get\*".*no wildcards/],
    ["no action", { actions: [] }, /actions = \[\] is not allowed/],
    ["no resource", { resources: [] }, /resources = \[\] is not allowed/],
    ["a wildcard resource without a reason", { resources: ["*"] }, /resources = "\*".*wildcardResourceReason/],
    ["a blank wildcard reason", { resources: ["*"], wildcardResourceReason: "  " }, /wildcardResourceReason/],
    ["an Allow to every principal", { anyPrincipal: true }, /anyPrincipal = true.*only on a Deny/],
    ["a wildcard AWS principal", { principals: { aws: ["*"] } }, /principals.aws = \["\*"\]/],
    ["a wildcard service principal", { principals: { service: ["*"] } }, /principals.service/],
    ["an empty principal block", { principals: {} }, /principals = \{\}/],
    ["a Sid with punctuation", { sid: "read-models" }, /sid = "read-models".*letters and digits/],
  ])("rejects %s", (_name, change, message) => {
    expect(() => new PolicyDocument("test policy", [{ ...base, ...change } as PolicyStatement])).toThrow(message);
  });

  it("names the policy and statement in its errors", () => {
    expect(() => new PolicyDocument("stack/Role policy", [{ ...base, actions: ["s3:*"] }])).toThrow(
      /^stack\/Role policy statement Read: actions = "s3:\*" is not allowed/,
    );
  });

  it("rejects a duplicate Sid", () => {
    const doc = new PolicyDocument("test", [base]);
    expect(() => doc.addStatement(base)).toThrow(/sid = "Read".*not used by another statement/);
    expect(doc.sids).toEqual(["Read"]);
  });

  it("accepts a wildcard resource with a reason", () => {
    const doc = new PolicyDocument("test", [
      {
        ...base,
        actions: ["ec2:DescribeInstances"],
        resources: ["*"],
        wildcardResourceReason: "Describe calls take no resource ARN",
      },
    ]);
    expect(doc.toObject().Statement[0].Resource).toEqual(["*"]);
  });

  describe("as a VPC endpoint policy", () => {
    const perimeter: PolicyStatement = {
      sid: "AccountPrincipalsOnly",
      anyPrincipal: true,
      actions: ["*"],
      resources: ["*"],
      wildcardResourceReason: "an endpoint policy filters",
      conditions: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
    };

    it("admits every principal and action inside the account perimeter", () => {
      const doc = new PolicyDocument("endpoint", [perimeter], { endpointPolicy: true });
      expect(doc.toObject().Statement[0]).toMatchObject({ Principal: "*", Action: ["*"], Resource: ["*"] });
    });

    it("admits every principal to named resources with exact actions", () => {
      const layers: PolicyStatement = {
        sid: "Layers",
        anyPrincipal: true,
        actions: ["s3:GetObject"],
        resources: ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"],
      };
      expect(new PolicyDocument("endpoint", [layers], { endpointPolicy: true }).sids).toEqual(["Layers"]);
    });

    it.each<[string, Partial<PolicyStatement>, RegExp]>([
      ["every action without the perimeter", { conditions: {} }, /actions = "\*" is not allowed.*aws:PrincipalAccount/],
      [
        "every principal on every resource without the perimeter",
        { actions: ["s3:GetObject"], conditions: {} },
        /anyPrincipal = true is not allowed.*none of which is "\*"/,
      ],
      ["a service wildcard", { actions: ["s3:*"] }, /actions = "s3:\*" is not allowed/],
    ])("rejects %s", (_name, change, message) => {
      expect(() => new PolicyDocument("endpoint", [{ ...perimeter, ...change }], { endpointPolicy: true })).toThrow(
        message,
      );
    });

    it("is the only kind of policy that admits every principal or action", () => {
      expect(() => new PolicyDocument("bucket", [perimeter])).toThrow(/actions = "\*" is not allowed/);
    });
  });

  describe("as a trust policy", () => {
    const trust: PolicyStatement = {
      sid: "FlowLogs",
      principals: { service: ["vpc-flow-logs.amazonaws.com"] },
      actions: ["sts:AssumeRole"],
      resources: [],
    };

    it("renders statements without a Resource element", () => {
      const statement = new PolicyDocument("trust", [trust], { trustPolicy: true }).toObject().Statement[0];
      expect(statement).toEqual({
        Sid: "FlowLogs",
        Effect: "Allow",
        Principal: { Service: ["vpc-flow-logs.amazonaws.com"] },
        Action: ["sts:AssumeRole"],
      });
    });

    it("rejects resources and statements without principals", () => {
      expect(() => new PolicyDocument("trust", [{ ...trust, resources: ["*"] }], { trustPolicy: true })).toThrow(
        /resources = \["\*"\] is not allowed; allowed: none in a trust policy/,
      );
      expect(() => new PolicyDocument("trust", [{ ...trust, principals: undefined }], { trustPolicy: true })).toThrow(
        /principals = undefined is not allowed/,
      );
    });

    it("is, with a policy whose resource is implied, the only kind whose statements may have no resource", () => {
      expect(() => new PolicyDocument("identity", [trust])).toThrow(/at least one resource ARN/);
    });
  });

  describe("as a policy whose resource is implied (an ECR repository policy)", () => {
    const pull: PolicyStatement = {
      sid: "Pull",
      principals: { aws: ["arn:aws:iam::111122223333:role/node"] },
      actions: ["ecr:BatchGetImage"],
      resources: [],
    };
    const denyOthers: PolicyStatement = {
      sid: "DenyOthers",
      effect: "Deny",
      anyPrincipal: true,
      actions: ["ecr:BatchGetImage"],
      resources: [],
    };

    it("renders no Resource, takes named principals and a Deny to everyone", () => {
      const document = new PolicyDocument("repository", [pull, denyOthers], { impliedResource: true }).toObject();
      for (const statement of document.Statement) expect(statement).not.toHaveProperty("Resource");
      expect(document.Statement[1]).toMatchObject({ Effect: "Deny", Principal: "*" });
    });

    it("rejects a resource, an Allow to everyone and a statement without principals", () => {
      const options = { impliedResource: true };
      expect(() => new PolicyDocument("repository", [{ ...pull, resources: ["*"] }], options)).toThrow(
        /allowed: none in a policy whose resource is implied/,
      );
      expect(() => new PolicyDocument("repository", [{ ...denyOthers, effect: "Allow" }], options)).toThrow(
        /every principal only on a Deny statement/,
      );
      expect(() => new PolicyDocument("repository", [{ ...pull, principals: undefined }], options)).toThrow(
        /principals = undefined is not allowed/,
      );
    });
  });

  it("copies a document, so that the copy can grow without changing the original", () => {
    const original = new PolicyDocument("original", [
      { sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
    ]);
    const copy = original
      .copy()
      .addStatement({ sid: "Write", actions: ["s3:PutObject"], resources: ["arn:aws:s3:::b/*"] });
    expect(copy.sids).toEqual(["Read", "Write"]);
    expect(original.sids).toEqual(["Read"]);
  });

  describe("wildcard actions", () => {
    it("are accepted on a Deny, where they widen the denial", () => {
      const doc = new PolicyDocument("bucket", [
        {
          sid: "DenyPlainHttp",
          effect: "Deny",
          anyPrincipal: true,
          actions: ["s3:*"],
          resources: ["arn:aws:s3:::b/*"],
        },
      ]);
      expect(doc.toObject().Statement[0].Action).toEqual(["s3:*"]);
    });

    it("are accepted on an Allow only with a reason, which the document reports", () => {
      const read: PolicyStatement = { sid: "Read", actions: ["ec2:Describe*"], resources: ["arn:aws:ec2:*:*:vpc/*"] };
      expect(() => new PolicyDocument("plan", [read])).toThrow(/needs a wildcardActionReason/);
      const doc = new PolicyDocument("plan", [{ ...read, wildcardActionReason: "a plan reads every attribute" }]);
      expect(doc.wildcardActionReasons).toEqual(["Read: a plan reads every attribute"]);
    });

    it("take NotAction on a Deny only, instead of actions", () => {
      const fence: PolicyStatement = {
        sid: "Fence",
        effect: "Deny",
        actions: [],
        notActions: ["iam:*"],
        resources: ["*"],
        wildcardResourceReason: "every resource",
      };
      expect(new PolicyDocument("fence", [fence]).toObject().Statement[0]).toMatchObject({ NotAction: ["iam:*"] });
      expect(() => new PolicyDocument("fence", [{ ...fence, effect: "Allow" }])).toThrow(
        /NotAction on a Deny statement only/,
      );
      expect(() => new PolicyDocument("fence", [{ ...fence, actions: ["s3:GetObject"] }])).toThrow(
        /none when notActions is set/,
      );
    });
  });
});
