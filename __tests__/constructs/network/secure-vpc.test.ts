import { TerraformResource, type TerraformStack } from "cdktf";
import { KmsKey } from "../../../constructs/keys/kms-key";
import { SecureVpc, type SecureVpcProps } from "../../../constructs/network/secure-vpc";
import { decide, materializePolicy } from "../../../policies/iam-simulation";
import { resourcesOf, statementsOf, synthJson, type TerraformJson, testStack } from "../../support/synth";

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ACCOUNT = "111122223333";
type Resource = Record<string, unknown>;

function build(props: Partial<SecureVpcProps> = {}): { stack: TerraformStack; vpc: SecureVpc } {
  const stack = testStack();
  const key = new KmsKey(stack, "LogsKey", { alias: "smd-test-logs" });
  const vpc = new SecureVpc(stack, "Network", {
    name: "smd-test",
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ZONES,
    flowLogKey: key,
    ...props,
  });
  return { stack, vpc };
}

function synthVpc(props: Partial<SecureVpcProps> = {}) {
  const { stack, vpc } = build(props);
  const json = synthJson(stack);
  const all = (type: string) => Object.values(resourcesOf(json, type));
  const byName = (type: string) => resourcesOf(json, type);
  /** The Terraform address of the resource whose construct path ends with `suffix`. */
  const ref = (type: string, suffix: string, attribute = "id") => {
    const found = stack.node
      .findAll()
      .find((c): c is TerraformResource => c instanceof TerraformResource && c.node.path.endsWith(`/${suffix}`));
    if (!found || found.terraformResourceType !== type) throw new Error(`no ${type} at */${suffix}`);
    return `\${${type}.${stack.getLogicalId(found)}.${attribute}}`;
  };
  return { json, vpc, all, byName, ref };
}

const tagOf = (resource: Resource, tag: string) => (resource.tags as Record<string, string>)[tag];

/** Every route to anywhere, from route resources and inline route blocks, as [route table, target]. */
function defaultRoutes(json: TerraformJson): { table: unknown; route: Resource }[] {
  const routes: { table: unknown; route: Resource }[] = [];
  for (const route of Object.values(resourcesOf(json, "aws_route"))) {
    if (route.destination_cidr_block === "0.0.0.0/0") routes.push({ table: route.route_table_id, route });
  }
  for (const type of ["aws_route_table", "aws_default_route_table"]) {
    for (const [name, table] of Object.entries(resourcesOf(json, type))) {
      for (const route of (table.route as Resource[] | undefined) ?? []) {
        if (route.cidr_block === "0.0.0.0/0") routes.push({ table: `${type}.${name}`, route });
      }
    }
  }
  return routes;
}

describe("SecureVpc", () => {
  describe("subnet tiers", () => {
    it("puts one private and one isolated subnet in each zone, and no public subnet with egress none", () => {
      const { all } = synthVpc();
      const subnets = all("aws_subnet");
      const perTier = (tier: string) =>
        subnets.filter((s) => tagOf(s, "Tier") === tier).map((s) => [s.availability_zone, s.cidr_block]);
      expect(perTier("private")).toEqual([
        ["eu-west-1a", "10.20.0.0/19"],
        ["eu-west-1b", "10.20.32.0/19"],
        ["eu-west-1c", "10.20.64.0/19"],
      ]);
      expect(perTier("isolated")).toEqual([
        ["eu-west-1a", "10.20.128.0/21"],
        ["eu-west-1b", "10.20.136.0/21"],
        ["eu-west-1c", "10.20.144.0/21"],
      ]);
      expect(perTier("public")).toEqual([]);
      expect(subnets).toHaveLength(6);
    });

    it("assigns no public IP on launch in any subnet, and tags private subnets for internal load balancers", () => {
      const { all } = synthVpc({ egress: "nat" });
      for (const subnet of all("aws_subnet")) expect(subnet.map_public_ip_on_launch).toBe(false);
      const privateSubnets = all("aws_subnet").filter((s) => tagOf(s, "Tier") === "private");
      for (const subnet of privateSubnets) expect(tagOf(subnet, "kubernetes.io/role/internal-elb")).toBe("1");
    });

    it("uses explicit tier CIDRs when given", () => {
      const { all } = synthVpc({
        vpcCidr: "10.1.0.0/24",
        availabilityZones: ZONES.slice(0, 2),
        subnetCidrs: { private: ["10.1.0.0/26", "10.1.0.64/26"], isolated: ["10.1.0.128/27", "10.1.0.160/27"] },
      });
      const expected = ["10.1.0.0/26", "10.1.0.64/26", "10.1.0.128/27", "10.1.0.160/27"];
      expect(
        all("aws_subnet")
          .map((s) => s.cidr_block)
          .sort(),
      ).toEqual(expected.sort());
    });

    it("exposes subnet IDs per tier, the VPC, the endpoint security group and the S3 gateway endpoint", () => {
      const { vpc, ref } = synthVpc();
      expect(vpc.vpcId).toMatch(/^\$\{TfToken\[/);
      expect(vpc.subnetIds.private).toHaveLength(3);
      expect(vpc.subnetIds.isolated).toHaveLength(3);
      expect(vpc.subnetIds.public).toEqual([]);
      expect(ref("aws_vpc_endpoint", "Endpoints/S3")).toContain("aws_vpc_endpoint.");
      expect(vpc.cidr).toBe("10.20.0.0/16");
    });
  });

  describe("egress none (the default)", () => {
    const { json, all } = synthVpc();

    it("has no internet gateway, NAT gateway or Elastic IP", () => {
      expect(all("aws_internet_gateway")).toEqual([]);
      expect(all("aws_nat_gateway")).toEqual([]);
      expect(all("aws_eip")).toEqual([]);
    });

    it("has no route to 0.0.0.0/0 anywhere, and empties the main route table", () => {
      expect(defaultRoutes(json)).toEqual([]);
      expect(all("aws_default_route_table")[0].route).toEqual([]);
    });

    it("gives each zone's private subnet its own route table and the isolated subnets one with no routes", () => {
      const tables = all("aws_route_table");
      expect(tables.map((t) => tagOf(t, "Tier")).sort()).toEqual(["isolated", "private", "private", "private"]);
      expect(all("aws_route_table_association")).toHaveLength(6);
    });
  });

  describe.each([
    ["nat", 3],
    ["single-nat", 1],
  ] as const)("egress %s", (egress, natCount) => {
    const { json, all, ref } = synthVpc({ egress });

    it(`puts ${natCount} NAT gateway(s), each with an Elastic IP, in as many public subnets`, () => {
      const publicSubnets = all("aws_subnet").filter((s) => tagOf(s, "Tier") === "public");
      expect(publicSubnets.map((s) => s.cidr_block)).toEqual(
        ["10.20.160.0/21", "10.20.168.0/21", "10.20.176.0/21"].slice(0, natCount),
      );
      expect(all("aws_nat_gateway")).toHaveLength(natCount);
      expect(all("aws_eip")).toHaveLength(natCount);
      expect(all("aws_internet_gateway")).toHaveLength(1);
      expect(all("aws_nat_gateway").map((n) => n.subnet_id)).toEqual(
        [...Array(natCount).keys()].map((i) => ref("aws_subnet", `public-${i}`)),
      );
    });

    it("routes 0.0.0.0/0 from each private table to a NAT gateway and from the public table to the internet gateway only", () => {
      const routes = defaultRoutes(json);
      const privateRoutes = [0, 1, 2].map((i) => ({
        table: ref("aws_route_table", `private-routes-${i}`),
        nat: ref("aws_nat_gateway", `nat-${Math.min(i, natCount - 1)}`),
      }));
      expect(routes).toHaveLength(4);
      for (const { table, nat } of privateRoutes) {
        expect(routes.filter((r) => r.table === table).map((r) => r.route.nat_gateway_id)).toEqual([nat]);
      }
      const publicRoutes = routes.filter((r) => r.table === ref("aws_route_table", "public-routes"));
      expect(publicRoutes.map((r) => r.route.gateway_id)).toEqual([ref("aws_internet_gateway", "InternetGateway")]);
      expect(routes.filter((r) => r.table === ref("aws_route_table", "isolated-routes"))).toEqual([]);
    });
  });

  describe("VPC endpoints", () => {
    const { all, byName, ref } = synthVpc();
    const endpoints = all("aws_vpc_endpoint");
    const service = (e: Resource) => String(e.service_name).replace("com.amazonaws.eu-west-1.", "");

    it("reaches every AWS service a private GPU cluster needs", () => {
      expect(endpoints.map(service).sort()).toEqual(
        [
          "autoscaling",
          "ec2",
          "ec2messages",
          "ecr.api",
          "ecr.dkr",
          "eks-auth",
          "elasticloadbalancing",
          "kms",
          "logs",
          "s3",
          "ssm",
          "ssmmessages",
          "sts",
        ].sort(),
      );
    });

    it("puts interface endpoints in the isolated subnets with private DNS, behind the endpoint security group", () => {
      const isolated = [0, 1, 2].map((i) => ref("aws_subnet", `isolated-${i}`));
      for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface")) {
        expect(endpoint).toMatchObject({
          private_dns_enabled: true,
          subnet_ids: isolated,
          security_group_ids: [ref("aws_security_group", "Endpoints/SecurityGroup")],
        });
      }
    });

    it("routes S3 through a gateway endpoint on the private route tables", () => {
      const s3 = endpoints.filter((e) => service(e) === "s3");
      expect(s3).toHaveLength(1);
      expect(s3[0].vpc_endpoint_type).toBe("Gateway");
      expect(s3[0].route_table_ids).toEqual([0, 1, 2].map((i) => ref("aws_route_table", `private-routes-${i}`)));
    });

    it("keeps every interface endpoint that takes a policy to this account's principals", () => {
      const withoutPolicy = endpoints.filter((e) => e.policy === undefined).map(service);
      expect(withoutPolicy.sort()).toEqual(["ec2messages", "eks-auth", "ssmmessages"]);
      for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface" && e.policy)) {
        const [perimeter, ...rest] = statementsOf(endpoint.policy);
        expect(perimeter).toMatchObject({
          Sid: "AccountPrincipalsOnly",
          Effect: "Allow",
          Principal: "*",
          Condition: { StringEquals: { "aws:PrincipalAccount": expect.stringContaining("account_id") } },
        });
        expect(rest.map((s) => s.Sid)).toEqual(service(endpoint) === "sts" ? ["WebIdentityIntoAccountRoles"] : []);
      }
    });

    it("limits the S3 endpoint to this account's buckets, plus reads of ECR's image-layer bucket", () => {
      const s3 = endpoints.find((e) => service(e) === "s3")!;
      const [own, layers] = statementsOf(s3.policy);
      expect(own.Condition).toEqual({
        StringEquals: {
          "aws:PrincipalAccount": expect.stringContaining("account_id"),
          "s3:ResourceAccount": expect.stringContaining("account_id"),
        },
      });
      expect(layers).toMatchObject({
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"],
      });
    });

    describe("the S3 endpoint policy, simulated", () => {
      const s3 = endpoints.find((e) => service(e) === "s3")!;
      const endpointPolicy = materializePolicy(s3.policy, (x) => (x.endsWith(".account_id") ? ACCOUNT : undefined));
      const OTHER = "444455556666";
      const through = (principal: string, bucket: string, owner: string) =>
        decide({
          principal,
          action: "s3:GetObject",
          resource: `arn:aws:s3:::${bucket}/models/fraud/model.safetensors`,
          resourceAccount: owner,
          identityPolicies: [
            { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] },
          ],
          resourcePolicy: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
          },
          endpointPolicy,
          context: { "s3:ResourceAccount": owner },
        });
      const pod = `arn:aws:sts::${ACCOUNT}:assumed-role/fraud-model/pod`;

      it("lets this account's roles read this account's buckets", async () => {
        expect(await through(pod, "smd-dev-models", ACCOUNT)).toBe("Allowed");
      });

      it("stops copying data out to another account's bucket, and another account's credentials", async () => {
        expect(await through(pod, "attacker-bucket", OTHER)).not.toBe("Allowed");
        expect(await through(`arn:aws:sts::${OTHER}:assumed-role/attacker/x`, "smd-dev-models", ACCOUNT)).not.toBe(
          "Allowed",
        );
      });

      it("lets image pulls read ECR's layer bucket, which AWS owns", async () => {
        expect(
          await through(`arn:aws:sts::${OTHER}:assumed-role/ecr/layer`, "prod-eu-west-1-starport-layer-bucket", OTHER),
        ).toBe("Allowed");
      });
    });

    it("admits HTTPS from the VPC to the endpoints, and nothing else", () => {
      const rules = all("aws_vpc_security_group_ingress_rule");
      expect(rules).toEqual([
        expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.20.0.0/16" }),
      ]);
      expect(all("aws_vpc_security_group_egress_rule")).toEqual([]);
      expect(all("aws_security_group")[0].ingress).toBeUndefined();
      expect(Object.keys(byName("aws_default_security_group"))).toHaveLength(1);
      expect(all("aws_default_security_group")[0]).not.toHaveProperty("ingress");
      expect(all("aws_default_security_group")[0]).not.toHaveProperty("egress");
    });

    it("leaves GuardDuty's data endpoint to GuardDuty by default, and creates it for a self-managed agent", () => {
      expect(endpoints.map(service)).not.toContain("guardduty-data");
      const selfManaged = synthVpc({ guardDutyAgent: "self-managed" }).all("aws_vpc_endpoint");
      const guardDuty = selfManaged.filter((e) => service(e) === "guardduty-data");
      expect(guardDuty).toHaveLength(1);
      expect(guardDuty[0]).toMatchObject({ private_dns_enabled: true, vpc_endpoint_type: "Interface" });
      expect(statementsOf(guardDuty[0].policy)[0].Sid).toBe("AccountPrincipalsOnly");
    });

    it("adds the interface endpoints a team asks for", () => {
      const extra = synthVpc({ additionalInterfaceEndpoints: [{ service: "secretsmanager", purpose: "secrets" }] });
      expect(extra.all("aws_vpc_endpoint").map(service)).toContain("secretsmanager");
    });
  });

  describe("network ACLs", () => {
    const aclOf = (acls: Resource[], tier: string) => acls.find((a) => tagOf(a, "Tier") === tier)!;
    type Entry = Record<string, unknown>;
    const fromAnywhere = (entries: Entry[]) => entries.filter((e) => e.cidr_block === "0.0.0.0/0");

    it("lets the isolated tier answer HTTPS from the VPC and nothing else", () => {
      const isolated = aclOf(synthVpc().all("aws_network_acl"), "isolated");
      expect(isolated.ingress).toEqual([
        expect.objectContaining({
          action: "allow",
          protocol: "tcp",
          from_port: 443,
          to_port: 443,
          cidr_block: "10.20.0.0/16",
        }),
      ]);
      expect(isolated.egress).toEqual([
        expect.objectContaining({
          action: "allow",
          protocol: "tcp",
          from_port: 1024,
          to_port: 65535,
          cidr_block: "10.20.0.0/16",
        }),
      ]);
    });

    it("with egress none, opens the private tier to the outside only for HTTPS to S3 and its replies, never port 3389", () => {
      const { all } = synthVpc();
      const acl = aclOf(all("aws_network_acl"), "private");
      expect(fromAnywhere(acl.egress as Entry[])).toEqual([
        expect.objectContaining({ protocol: "tcp", from_port: 443, to_port: 443 }),
      ]);
      const replies = fromAnywhere(acl.ingress as Entry[]);
      expect(replies.map((e) => [e.protocol, e.from_port, e.to_port])).toEqual([
        ["tcp", 1024, 3388],
        ["tcp", 3390, 65535],
      ]);
      expect(all("aws_network_acl")).toHaveLength(2);
      expect(all("aws_network_acl").flatMap((a) => a.subnet_ids as string[])).toHaveLength(6);
    });

    it("with egress nat, adds a public tier whose only inbound from the internet is replies", () => {
      const acl = aclOf(synthVpc({ egress: "nat" }).all("aws_network_acl"), "public");
      expect(fromAnywhere(acl.ingress as Entry[]).map((e) => [e.protocol, e.from_port, e.to_port])).toEqual([
        ["tcp", 1024, 3388],
        ["tcp", 3390, 65535],
        ["udp", 1024, 3388],
        ["udp", 3390, 65535],
      ]);
    });

    it("takes over the default network ACL with no rules", () => {
      const acl = synthVpc().all("aws_default_network_acl")[0];
      expect(acl).not.toHaveProperty("ingress");
      expect(acl).not.toHaveProperty("egress");
    });
  });

  describe("flow logs", () => {
    const { all, ref } = synthVpc({ flowLogRetentionInDays: 731 });

    it("logs all traffic each minute to a KMS-encrypted log group with the configured retention", () => {
      expect(all("aws_flow_log")).toEqual([
        expect.objectContaining({
          vpc_id: ref("aws_vpc", "Vpc"),
          traffic_type: "ALL",
          log_destination_type: "cloud-watch-logs",
          log_destination: ref("aws_cloudwatch_log_group", "FlowLog/LogGroup/LogGroup", "arn"),
          iam_role_arn: ref("aws_iam_role", "FlowLog/Role", "arn"),
          max_aggregation_interval: 60,
        }),
      ]);
      expect(all("aws_cloudwatch_log_group")).toEqual([
        expect.objectContaining({
          name: "/smd-test/vpc-flow-logs",
          retention_in_days: 731,
          kms_key_id: ref("aws_kms_key", "LogsKey/Key", "arn"),
        }),
      ]);
    });

    describe("the delivery role, simulated", () => {
      const valueFor = (expression: string) => (expression.endsWith(".account_id") ? ACCOUNT : undefined);
      const role = all("aws_iam_role")[0];
      const trust = materializePolicy(role.assume_role_policy, valueFor);
      const policy = materializePolicy(all("aws_iam_role_policy")[0].policy, valueFor);
      const ROLE = `arn:aws:iam::${ACCOUNT}:role/smd-test-vpc-flow-logs`;
      const GROUP = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/smd-test/vpc-flow-logs`;
      const assume = (sourceAccount: string) =>
        decide({
          principal: "vpc-flow-logs.amazonaws.com",
          action: "sts:AssumeRole",
          resource: ROLE,
          resourceAccount: ACCOUNT,
          resourcePolicy: trust,
          context: {
            "aws:SourceAccount": sourceAccount,
            "aws:SourceArn": `arn:aws:ec2:eu-west-1:${sourceAccount}:vpc-flow-log/fl-0123456789abcdef0`,
          },
        });
      const write = (action: string, resource: string) =>
        decide({
          principal: `arn:aws:sts::${ACCOUNT}:assumed-role/smd-test-vpc-flow-logs/delivery`,
          action,
          resource,
          resourceAccount: ACCOUNT,
          identityPolicies: [policy],
        });

      it("may be assumed by this account's flow logs only", async () => {
        expect(await assume(ACCOUNT)).toBe("Allowed");
        expect(await assume("444455556666")).toBe("ImplicitlyDenied");
      });

      it("may write to its own log group only", async () => {
        expect(await write("logs:PutLogEvents", `${GROUP}:log-stream:eni-0123-all`)).toBe("Allowed");
        expect(await write("logs:CreateLogStream", `${GROUP}:log-stream:eni-0123-all`)).toBe("Allowed");
        expect(await write("logs:DescribeLogStreams", GROUP)).toBe("Allowed");
        const other = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/smd-test/app`;
        expect(await write("logs:PutLogEvents", `${other}:log-stream:x`)).toBe("ImplicitlyDenied");
        expect(await write("logs:CreateLogGroup", other)).toBe("ImplicitlyDenied");
        expect(await write("logs:DeleteLogGroup", GROUP)).toBe("ImplicitlyDenied");
        expect(await write("logs:PutRetentionPolicy", GROUP)).toBe("ImplicitlyDenied");
      });
    });
  });

  describe("bad input", () => {
    it.each<[string, Partial<SecureVpcProps>, string]>([
      [
        "a public VPC range",
        { vpcCidr: "8.8.0.0/16" },
        'test/Network: vpcCidr = "8.8.0.0/16" is not allowed; allowed: a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
      ],
      [
        "a VPC larger than /16",
        { vpcCidr: "10.0.0.0/12" },
        'vpcCidr = "10.0.0.0/12" is not allowed; allowed: a prefix length from /16 to /24',
      ],
      ["a VPC smaller than /24", { vpcCidr: "10.0.0.0/25" }, "allowed: a prefix length from /16 to /24"],
      [
        "a malformed CIDR",
        { vpcCidr: "10.0.0/16" },
        'vpcCidr = "10.0.0/16" is not allowed; allowed: an IPv4 network in CIDR form',
      ],
      [
        "one zone",
        { availabilityZones: ["eu-west-1a"] },
        'availabilityZones = ["eu-west-1a"] is not allowed; allowed: 2 to 6 distinct zone names',
      ],
      [
        "seven zones",
        { availabilityZones: ["a", "b", "c", "d", "e", "f", "g"].map((z) => `eu-west-1${z}`) },
        "allowed: 2 to 6 distinct zone names",
      ],
      [
        "zones of two regions",
        { availabilityZones: ["eu-west-1a", "eu-west-2a"] },
        "allowed: 2 to 6 distinct zone names of one region",
      ],
      [
        "an unknown egress mode",
        { egress: "open" as never },
        'egress = "open" is not allowed; allowed: one of none, nat, single-nat',
      ],
      [
        "a VPC too small for the endpoints",
        { vpcCidr: "10.1.0.0/24", availabilityZones: ZONES.slice(0, 2) },
        'vpcCidr = "10.1.0.0/24" is not allowed; allowed: isolated subnets of at least 17 addresses (each of the 12 interface endpoints takes one, and AWS keeps 5); this gives 10.1.0.128/28 with 16; use a larger VPC or give the tier CIDRs explicitly (subnetCidrs)',
      ],
      [
        "a tier outside the VPC",
        {
          subnetCidrs: {
            private: ["10.20.0.0/19", "10.20.32.0/19", "10.99.0.0/19"],
            isolated: ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
          },
        },
        'subnetCidrs.private = "10.99.0.0/19" is not allowed; allowed: a range inside the VPC\'s 10.20.0.0/16',
      ],
      [
        "overlapping tiers",
        {
          subnetCidrs: {
            private: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
            isolated: ["10.20.128.0/21", "10.20.136.0/21", "10.20.64.0/24"],
          },
        },
        'subnetCidrs.isolated = "10.20.64.0/24" is not allowed; allowed: a range that overlaps no other subnet; it overlaps private subnet 10.20.64.0/19',
      ],
      [
        "a tier short of a zone",
        {
          subnetCidrs: {
            private: ["10.20.0.0/19", "10.20.32.0/19"],
            isolated: ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
          },
        },
        'subnetCidrs.private = ["10.20.0.0/19","10.20.32.0/19"] is not allowed; allowed: one private subnet CIDR per availability zone (3)',
      ],
      [
        "public subnets with egress none",
        {
          subnetCidrs: {
            private: ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
            isolated: ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
            public: ["10.20.160.0/24"],
          },
        },
        'subnetCidrs.public = ["10.20.160.0/24"] is not allowed; allowed: 0 public subnet CIDRs with egress "none"',
      ],
      [
        "a private subnet too small for nodes",
        {
          subnetCidrs: {
            private: ["10.20.0.0/27", "10.20.32.0/19", "10.20.64.0/19"],
            isolated: ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
          },
        },
        'subnetCidrs.private = "10.20.0.0/27" is not allowed; allowed: private subnets of at least 64 addresses',
      ],
      [
        "an unknown GuardDuty agent mode",
        { guardDutyAgent: "none" as never },
        'guardDutyAgent = "none" is not allowed',
      ],
      [
        "S3 as an interface endpoint",
        { additionalInterfaceEndpoints: [{ service: "s3", purpose: "x" }] },
        'interfaceEndpoints.service = "s3" is not allowed; allowed: each service once, and not s3',
      ],
      [
        "a flow-log retention CloudWatch Logs lacks",
        { flowLogRetentionInDays: 400.5 },
        "flowLogRetentionInDays = 400.5",
      ],
      ["a name with capitals", { name: "SMD" }, 'name = "SMD" is not allowed'],
    ])("rejects %s before creating anything", (_case, props, message) => {
      const stack = testStack();
      const key = new KmsKey(stack, "LogsKey", { alias: "smd-test-logs" });
      expect(
        () =>
          new SecureVpc(stack, "Network", {
            name: "smd-test",
            vpcCidr: "10.20.0.0/16",
            availabilityZones: ZONES,
            flowLogKey: key,
            ...props,
          }),
      ).toThrow(message);
      expect(stack.node.tryFindChild("Network")?.node.children ?? []).toEqual([]);
    });
  });
});
