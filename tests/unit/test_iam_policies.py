# -*- coding: utf-8 -*-
"""The IAM policy documents under docs/iam/ parse and grant what the collection needs, no more."""

import json
import pathlib
import re

import pytest

IAM_DIR = pathlib.Path(__file__).resolve().parents[2] / "docs" / "iam"
ACTION_RE = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*]+$")
CONFIG_SLR = "arn:aws:iam::*:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"

SRC = pathlib.Path(__file__).resolve().parents[2] / "plugins"
SERVICES = {"sts": "sts", "iam": "iam", "config": "config", "securityhub": "securityhub", "cloudwatch": "cloudwatch", "s3": "s3"}
# IAM actions whose name is not the API operation's.
ACTION_ALIASES = {"s3:ListObjectsV2": "s3:ListBucket"}


def used_actions():
    """Every AWS operation the modules call (method names in gather/apply/verify code), as IAM actions."""
    import boto3  # pylint: disable=import-outside-toplevel

    names = set()
    for path in list((SRC / "module_utils").glob("*.py")) + list((SRC / "modules").glob("*.py")):
        text = path.read_text()
        names.update(re.findall(r'"([a-z][a-z0-9_]+)"', text))
        names.update(re.findall(r"\.([a-z][a-z0-9_]+)\(aws_retry=True", text))
    session = boto3.session.Session(region_name="us-east-1")
    found = set()
    for service, prefix in SERVICES.items():
        mapping = session.client(service, aws_access_key_id="x", aws_secret_access_key="x").meta.method_to_api_mapping
        for name in names & set(mapping):
            action = "%s:%s" % (prefix, mapping[name])
            found.add(ACTION_ALIASES.get(action, action))
    return found


READ_PREFIXES = ("Describe", "List", "Get", "BatchGet")
USED = used_actions()
AUDIT_ACTIONS = {a for a in USED if a.split(":")[1].startswith(READ_PREFIXES)} | {"s3:ListBucket"}
REMEDIATE_EXTRA = {a for a in USED if a not in AUDIT_ACTIONS} | {"iam:PassRole"}
REMEDIATE_EXPECTED = {
    "iam:CreateServiceLinkedRole",
    "iam:PassRole",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:StartConfigurationRecorder",
    "securityhub:UpdateSecurityControl",
    "securityhub:BatchUpdateStandardsControlAssociations",
}
INVENTORY_ACTIONS = {
    "sts:GetCallerIdentity",
    "organizations:ListAccounts",
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
    "organizations:DescribeOrganization",
    "account:ListRegions",
    "ec2:DescribeRegions",
}


def load(name):
    return json.loads((IAM_DIR / name).read_text())


def as_list(value):
    return [value] if isinstance(value, str) else list(value)


def actions(policy):
    return {a for s in policy["Statement"] for a in as_list(s["Action"])}


def statements_for(policy, action):
    return [s for s in policy["Statement"] if action in as_list(s["Action"])]


@pytest.mark.parametrize("path", sorted(IAM_DIR.glob("*.json")), ids=lambda p: p.name)
def test_policy_structure(path):
    policy = json.loads(path.read_text())
    assert set(policy) == {"Version", "Statement"}
    assert policy["Version"] == "2012-10-17"
    assert isinstance(policy["Statement"], list) and policy["Statement"]
    sids = [s.get("Sid") for s in policy["Statement"]]
    assert all(sid and re.match(r"^[A-Za-z0-9]+$", sid) for sid in sids), sids
    assert len(sids) == len(set(sids))
    trust = path.name.endswith("trust-policy.json")
    for statement in policy["Statement"]:
        assert statement["Effect"] in ("Allow", "Deny")
        assert all(ACTION_RE.match(a) for a in as_list(statement["Action"])), statement
        assert "NotAction" not in statement and "NotResource" not in statement
        if trust:
            assert "Principal" in statement and "Resource" not in statement
        else:
            assert "Resource" in statement and "Principal" not in statement
            assert all(r == "*" or r.startswith("arn:") for r in as_list(statement["Resource"]))
        assert not any(a.endswith(":*") or a == "*" for a in as_list(statement["Action"])), "no wildcard actions"


def test_expected_policy_files_exist():
    names = {p.name for p in IAM_DIR.glob("*.json")}
    assert {"audit-policy.json", "remediate-policy.json", "inventory-policy.json", "member-role-trust-policy.json"} <= names


def test_audit_policy_is_read_only_and_complete():
    granted = actions(load("audit-policy.json"))
    assert granted == AUDIT_ACTIONS
    write = re.compile(r":(Put|Create|Update|Start|Stop|Delete|BatchUpdate|Pass|Enable|Disable)")
    assert not [a for a in granted if write.search(a)]
    (bucket,) = statements_for(load("audit-policy.json"), "s3:ListBucket")
    assert as_list(bucket["Resource"]) != ["*"]


def test_remediate_policy_adds_writes_with_scoped_iam():
    policy = load("remediate-policy.json")
    assert actions(policy) == AUDIT_ACTIONS | REMEDIATE_EXTRA
    (create,) = statements_for(policy, "iam:CreateServiceLinkedRole")
    assert create["Condition"] == {"StringEquals": {"iam:AWSServiceName": "config.amazonaws.com"}}
    (pass_role,) = statements_for(policy, "iam:PassRole")
    assert as_list(pass_role["Resource"]) == [CONFIG_SLR]
    assert pass_role["Condition"]["StringEquals"]["iam:PassedToService"] == "config.amazonaws.com"


def test_inventory_policy():
    assert actions(load("inventory-policy.json")) == INVENTORY_ACTIONS


def test_trust_policy_requires_external_id():
    (statement,) = load("member-role-trust-policy.json")["Statement"]
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Principal"]["AWS"].startswith("arn:aws:iam::")
    assert "sts:ExternalId" in statement["Condition"]["StringEquals"]


def test_policies_cover_every_call_the_modules_make():
    # Derived from the source: a new AWS call without its IAM action fails here.
    assert "config:PutConfigurationRecorder" in USED and "securityhub:GetFindings" in USED
    assert REMEDIATE_EXTRA == REMEDIATE_EXPECTED
    assert USED <= actions(load("remediate-policy.json"))
