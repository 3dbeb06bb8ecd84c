import { endpointServiceOf, SERVICES_WITHOUT_ENDPOINT_POLICY } from "../../aws-endpoint-services";
import { isAnyPrincipal, isWildcardAction, type NormalStatement, policiesOf } from "../policy-documents";
import { problems, type Rule, requireLiteral, unverified } from "../rule";
import { isReference, type StackElement, type StackIndex, valuesAt } from "../stack-index";

const VPC = [{ kind: "resource" as const, types: ["aws_vpc"] }];
const ANYWHERE = ["0.0.0.0/0", "::/0"];
/** Remote desktop: inside the reply range, so a reply rule must step around it (as checkov's CKV_AWS_231 asks). */
const RDP = 3389;

/** Resource types that hold a VPC endpoint policy: a filter on what passes the endpoint, not a grant. */
export const ENDPOINT_POLICY_TYPES: readonly string[] = ["aws_vpc_endpoint", "aws_vpc_endpoint_policy"];

/** The element a value refers to, when it is exactly one reference to an element of this stack. */
function referenced(value: unknown, index: StackIndex): StackElement | undefined {
  return index.target(value)?.element;
}

/** Every CIDR a security-group rule or block opens, IPv4 and IPv6. */
function cidrsOf(config: Readonly<Record<string, unknown>>): unknown[] {
  return [
    ...valuesAt(config, "cidr_blocks"),
    ...valuesAt(config, "ipv6_cidr_blocks"),
    config.cidr_ipv4,
    config.cidr_ipv6,
  ].filter((c) => c !== undefined && c !== null);
}

/** Condition keys that keep an endpoint policy statement to this account's (or organisation's) principals or resources. */
const PERIMETER_KEYS = [
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:principalarn",
  "aws:resourceaccount",
  "aws:resourceorgid",
  "s3:resourceaccount",
];

function insidePerimeter(statement: NormalStatement): boolean {
  for (const [operator, entries] of Object.entries(statement.conditions)) {
    if (!["stringequals", "arnequals", "arnlike"].includes(operator.toLowerCase())) continue;
    for (const [key, values] of Object.entries(entries)) {
      if (PERIMETER_KEYS.includes(key.toLowerCase()) && values.length > 0 && values.every((v) => !v.includes("*"))) {
        return true;
      }
    }
  }
  return false;
}

/** What an endpoint policy statement lets through that it should not. */
function endpointStatementProblem(s: NormalStatement): string | undefined {
  if (s.effect !== "Allow") return undefined;
  if (s.notPrincipal) return "admits every principal but those listed (NotPrincipal)";
  if (insidePerimeter(s)) return undefined;
  const everyResource = s.resources.includes("*") || s.notResources.length > 0;
  if (isAnyPrincipal(s) && everyResource) return "admits every principal to every resource";
  const wild = [...s.actions.filter(isWildcardAction), ...s.notActions];
  if (wild.length > 0) return `admits the wildcard actions ${wild.join(", ")} outside the account perimeter`;
  return undefined;
}

/** Ingress entries of a network ACL element, in one shape. */
function aclIngress(element: StackElement): Record<string, unknown>[] {
  if (element.type === "aws_network_acl_rule") {
    if (element.config.egress === true) return [];
    return [{ ...element.config, action: element.config.rule_action }];
  }
  return valuesAt(element.config, "ingress") as Record<string, unknown>[];
}

/** Rules for VPCs, subnets, routes, endpoints, flow logs, security groups and network ACLs. */
export const NETWORK_RULES: readonly Rule[] = [
  {
    id: "SMD-NET-1",
    title: "Every VPC has a flow log of all its traffic",
    level: "error",
    controls: ["C-AUDIT-TRAIL", "C-NETWORK-ISOLATION"],
    checkov: ["CKV2_AWS_11"],
    fix: 'add an aws_flow_log with vpc_id set to the VPC and traffic_type = "ALL" (SecureVpc does)',
    targets: VPC,
    check: (vpc, index) => {
      const logs = index.referrers(vpc, "aws_flow_log", "vpc_id");
      if (logs.length === 0) return ["no aws_flow_log refers to the VPC"];
      const all = logs.filter((log) => log.config.traffic_type === "ALL");
      return all.length > 0
        ? []
        : logs.map((log) => `${log.address}: ${requireLiteral(log.config, "traffic_type", "ALL")}`);
    },
  },
  {
    id: "SMD-NET-2",
    title: "Flow logs go to an encrypted destination of this stack, through a role",
    level: "error",
    controls: ["C-AUDIT-TRAIL"],
    fix: "deliver to an aws_cloudwatch_log_group of this stack (log_destination = its arn) with iam_role_arn set, or to an aws_s3_bucket of this stack, so that the log-group and bucket rules can check the destination",
    targets: [{ kind: "resource", types: ["aws_flow_log"] }],
    check: (log, index) => {
      const type = log.config.log_destination_type ?? "cloud-watch-logs";
      if (isReference(type)) return [unverified("log_destination_type", type)];
      const destination = log.config.log_destination ?? log.config.log_group_name;
      const target = referenced(destination, index);
      if (type === "cloud-watch-logs") {
        return problems(
          target?.type === "aws_cloudwatch_log_group"
            ? undefined
            : `log_destination ${JSON.stringify(destination ?? null)} is not a log group of this stack`,
          log.config.iam_role_arn ? undefined : "iam_role_arn is not set",
        );
      }
      if (type === "s3") {
        return target?.type === "aws_s3_bucket"
          ? []
          : [`log_destination ${JSON.stringify(destination ?? null)} is not a bucket of this stack`];
      }
      return [`log_destination_type ${JSON.stringify(type)} cannot be checked (use cloud-watch-logs or s3)`];
    },
  },
  {
    id: "SMD-NET-3",
    title: "Subnets never assign public IP addresses",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_130"],
    fix: "set map_public_ip_on_launch = false (and leave assign_ipv6_address_on_creation off); NAT gateways carry their own Elastic IPs",
    targets: [{ kind: "resource", types: ["aws_subnet"] }],
    check: (subnet) => {
      const found: string[] = [];
      for (const attribute of ["map_public_ip_on_launch", "assign_ipv6_address_on_creation"]) {
        const value = subnet.config[attribute];
        if (isReference(value)) found.push(unverified(attribute, value));
        else if (value === true) found.push(`${attribute} is true`);
      }
      return found;
    },
  },
  {
    id: "SMD-NET-4",
    title: "Every VPC's default security group and network ACL are managed and empty",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV2_AWS_12"],
    fix: "add an aws_default_security_group (vpc_id) and an aws_default_network_acl (default_network_acl_id) with no ingress or egress rules, so that nothing placed in them by default can talk",
    targets: VPC,
    check: (vpc, index) => {
      const found: string[] = [];
      const defaults = [
        ["aws_default_security_group", "vpc_id"],
        ["aws_default_network_acl", "default_network_acl_id"],
      ] as const;
      for (const [type, attribute] of defaults) {
        const managed = index.referrers(vpc, type, attribute);
        if (managed.length === 0) found.push(`no ${type} refers to the VPC, so AWS's default rules stay`);
        for (const element of managed) {
          for (const direction of ["ingress", "egress"]) {
            if (valuesAt(element.config, direction).length > 0) found.push(`${element.address} has ${direction} rules`);
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-NET-5",
    title: "Security groups admit nothing from the internet",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    fix: "admit the VPC's CIDR, a prefix list or another security group instead of 0.0.0.0/0 or ::/0; the internet reaches models only through the WAF and API Gateway",
    targets: [
      {
        kind: "resource",
        types: [
          "aws_security_group",
          "aws_default_security_group",
          "aws_security_group_rule",
          "aws_vpc_security_group_ingress_rule",
        ],
      },
    ],
    check: (element) => {
      const entries =
        element.type === "aws_security_group" || element.type === "aws_default_security_group"
          ? (valuesAt(element.config, "ingress") as Record<string, unknown>[])
          : element.type === "aws_security_group_rule" && element.config.type !== "ingress"
            ? []
            : [element.config];
      const found: string[] = [];
      for (const entry of entries) {
        for (const cidr of cidrsOf(entry)) {
          if (isReference(cidr)) found.push(unverified("ingress CIDR", cidr));
          else if (ANYWHERE.includes(String(cidr))) {
            found.push(`ingress ${JSON.stringify(entry.description ?? "")} admits ${String(cidr)}`);
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-NET-6",
    title: "Security groups and their rules say what they are for",
    level: "error",
    controls: ["C-NETWORK-ISOLATION", "C-GOVERNANCE"],
    checkov: ["CKV_AWS_23"],
    fix: 'give every security group a description other than "Managed by Terraform", and every rule a description',
    targets: [
      {
        kind: "resource",
        types: [
          "aws_security_group",
          "aws_security_group_rule",
          "aws_vpc_security_group_ingress_rule",
          "aws_vpc_security_group_egress_rule",
        ],
      },
    ],
    check: (element) => {
      const described = (value: unknown) => typeof value === "string" && value.trim() !== "";
      const found: string[] = [];
      if (element.type === "aws_security_group") {
        const description = element.config.description;
        if (!described(description) || description === "Managed by Terraform") {
          found.push('the group has no description of its own (AWS writes "Managed by Terraform")');
        }
        for (const direction of ["ingress", "egress"]) {
          for (const entry of valuesAt(element.config, direction) as Record<string, unknown>[]) {
            if (!described(entry.description)) found.push(`an inline ${direction} rule has no description`);
          }
        }
      } else if (!described(element.config.description)) {
        found.push("the rule has no description");
      }
      return found;
    },
  },
  {
    id: "SMD-NET-7",
    title: "Network ACLs admit nothing from the internet but replies",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    checkov: ["CKV_AWS_229", "CKV_AWS_230", "CKV_AWS_231", "CKV_AWS_232"],
    fix: "admit the internet (0.0.0.0/0, ::/0) only on TCP or UDP ports from 1024 up, the replies to connections made from inside, and leave out RDP's 3389 (split the range at it)",
    targets: [{ kind: "resource", types: ["aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule"] }],
    check: (element) => {
      const found: string[] = [];
      for (const entry of aclIngress(element)) {
        if (entry.action !== "allow") continue;
        const cidrs = [entry.cidr_block, entry.ipv6_cidr_block].filter((c) => c !== undefined && c !== null);
        for (const cidr of cidrs) {
          if (isReference(cidr)) {
            found.push(unverified(`rule ${String(entry.rule_no ?? entry.rule_number)} CIDR`, cidr));
            continue;
          }
          if (!ANYWHERE.includes(String(cidr))) continue;
          const protocol = String(entry.protocol).toLowerCase();
          const from = Number(entry.from_port);
          const to = Number(entry.to_port);
          const replyOnly = ["tcp", "udp", "6", "17"].includes(protocol) && from >= 1024 && !(from <= RDP && RDP <= to);
          if (!replyOnly) {
            found.push(
              `rule ${String(entry.rule_no ?? entry.rule_number)} admits ${protocol} ports ${String(entry.from_port)}-${String(entry.to_port)} from ${String(cidr)}`,
            );
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-NET-8",
    title: "Only subnets that hold a NAT gateway route to an internet gateway",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    fix: "route private subnets to a NAT gateway (or nowhere), give the internet gateway route only to the route table of the NAT gateways' subnets, and never to the main route table",
    targets: [{ kind: "resource", types: ["aws_route", "aws_route_table", "aws_default_route_table"] }],
    check: (element, index) => {
      const routes = element.type === "aws_route" ? [element.config] : valuesAt(element.config, "route");
      const found: string[] = [];
      for (const route of routes as Record<string, unknown>[]) {
        const gateway = route.gateway_id;
        if (gateway === undefined || gateway === null || gateway === "") continue;
        const target = referenced(gateway, index);
        if (target && target.type !== "aws_internet_gateway") continue;
        if (!target && !(isReference(gateway) || String(gateway).startsWith("igw-"))) continue;
        if (!target) {
          found.push(`${unverified("gateway_id", gateway)} (an internet gateway outside this stack?)`);
          continue;
        }
        const table = element.type === "aws_route" ? referenced(element.config.route_table_id, index) : element;
        if (!table) {
          found.push(unverified("route_table_id", element.config.route_table_id));
          continue;
        }
        if (table.type === "aws_default_route_table") {
          found.push(
            "the main route table routes to the internet gateway: every subnet without a table of its own is public",
          );
          continue;
        }
        for (const association of index.referrers(table, "aws_route_table_association", "route_table_id")) {
          const subnet = referenced(association.config.subnet_id, index);
          if (!subnet) {
            if (association.config.subnet_id !== undefined) {
              found.push(unverified(`${association.address} subnet_id`, association.config.subnet_id));
            }
            continue;
          }
          if (index.referrers(subnet, "aws_nat_gateway", "subnet_id").length === 0) {
            found.push(`${subnet.address} routes to the internet gateway but holds no NAT gateway`);
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-NET-9",
    title: "VPC endpoints admit only this account's principals or named resources",
    level: "error",
    controls: ["C-NETWORK-ISOLATION", "C-LEAST-PRIVILEGE"],
    fix: 'attach an endpoint policy whose Allow statements carry a StringEquals condition on aws:PrincipalAccount (or aws:PrincipalOrgID, s3:ResourceAccount), or name exact resources instead of "*"',
    targets: [{ kind: "resource", types: ENDPOINT_POLICY_TYPES }],
    check: (element, index) => {
      const found: string[] = [];
      const policies = policiesOf(element, index);
      if (element.type === "aws_vpc_endpoint" && policies.length === 0) {
        const type = element.config.vpc_endpoint_type ?? "Gateway";
        const serviceName = element.config.service_name;
        const service = typeof serviceName === "string" ? endpointServiceOf(serviceName) : "";
        const separate = index.referrers(element, "aws_vpc_endpoint_policy", "vpc_endpoint_id").length > 0;
        const exempt =
          (type === "Interface" && SERVICES_WITHOUT_ENDPOINT_POLICY.includes(service)) ||
          ["GatewayLoadBalancer", "Resource", "ServiceNetwork"].includes(String(type));
        if (!separate && !exempt) {
          found.push("the endpoint has no policy, so AWS's default admits every principal to every resource");
        }
      }
      for (const { attribute, policy } of policies) {
        if (policy.kind !== "document") continue; // SMD-IAM-4 reports unreadable policies
        policy.statements.forEach((statement, i) => {
          const problem = endpointStatementProblem(statement);
          if (problem) found.push(`${attribute} statement ${statement.sid ?? `#${i + 1}`}: ${problem}`);
        });
      }
      return found;
    },
  },
  {
    id: "SMD-NET-10",
    title: "Interface endpoints resolve privately and sit behind a security group",
    level: "error",
    controls: ["C-NETWORK-ISOLATION"],
    fix: "set private_dns_enabled = true, so that SDKs reach the endpoint by the service's own name, and security_group_ids to a group that admits HTTPS from the VPC only",
    targets: [{ kind: "resource", types: ["aws_vpc_endpoint"] }],
    check: (endpoint) => {
      if (endpoint.config.vpc_endpoint_type !== "Interface") return [];
      const groups = valuesAt(endpoint.config, "security_group_ids");
      return problems(
        requireLiteral(endpoint.config, "private_dns_enabled", true),
        groups.length === 0 ? "security_group_ids is empty, so the VPC's default security group applies" : undefined,
      );
    },
  },
];
