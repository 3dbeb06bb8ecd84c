"""CKV_SMD_1: a KMS key policy allows no wildcard principal and no wildcard action.

checkov's own CKV_AWS_33 reads the policy only when it is an HCL object: in a .tf.json file the policy is a JSON
string, the check fails to index it and silently passes (seen with checkov 3.3.30, even for "Principal": {"AWS": "*"}).
This check parses the string. A policy that is a whole `${...}` reference cannot be read, so it fails: the blueprint
keeps key policies literal.
"""

import json

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _policy_document(conf):
    raw = conf.get("policy")
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _allows_everyone(principal):
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in _as_list(v) for v in principal.values())
    return False


class KmsKeyPolicyDocument(BaseResourceCheck):
    def __init__(self):
        super().__init__(
            name="Ensure a KMS key policy (JSON string) allows no wildcard principal and no wildcard action",
            id="CKV_SMD_1",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_kms_key"],
        )

    def scan_resource_conf(self, conf):
        self.evaluated_keys = ["policy"]
        document = _policy_document(conf)
        if document is None:
            return CheckResult.FAILED
        for statement in _as_list(document.get("Statement", [])):
            if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
                continue
            if _allows_everyone(statement.get("Principal")) or "NotPrincipal" in statement:
                return CheckResult.FAILED
            if any("*" in str(action) for action in _as_list(statement.get("Action", []))) or "NotAction" in statement:
                return CheckResult.FAILED
        return CheckResult.PASSED


check = KmsKeyPolicyDocument()
