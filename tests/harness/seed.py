"""Seeding helpers: everything through boto3 calls to the emulator where an API exists.

``session`` arguments are boto3 sessions from ``Emulator.session(account, region)`` (or any
session whose clients reach the emulator).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any, Iterable

from botocore.exceptions import ClientError

CONFIG_PRINCIPAL = "config.amazonaws.com"
CONFIG_SLR_NAME = "AWSServiceRoleForConfig"
SH_PRINCIPAL = "securityhub.amazonaws.com"
CONFIG1_PARAM = "includeConfigServiceLinkedRoleCheck"


def fsbp_arn(region: str) -> str:
    return f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"


def cis5_arn(region: str) -> str:
    return f"arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/5.0.0"


def _account(session: Any) -> str:
    return session.client("sts").get_caller_identity()["Account"]


def enable_security_hub(
    session: Any,
    region: str,
    controls: Iterable[str] | None = None,
    config1_role_check: bool | None = None,
) -> None:
    """EnableSecurityHub (default standard FSBP).  ``controls=None`` keeps FSBP's controls
    enabled; a list means exactly those controls ENABLED (all others DISABLED through
    BatchUpdateStandardsControlAssociations).  ``config1_role_check=False`` sets Config.1's
    includeConfigServiceLinkedRoleCheck to CUSTOM false through UpdateSecurityControl (the
    control then reports UPDATING for one BatchGetSecurityControls read)."""
    sh = session.client("securityhub", region_name=region)
    sh.enable_security_hub(EnableDefaultStandards=True)
    if controls is not None:
        wanted = set(controls)
        std = fsbp_arn(region)
        ids = []
        paginator = sh.get_paginator("list_security_control_definitions")
        for page in paginator.paginate(StandardsArn=std):
            ids += [d["SecurityControlId"] for d in page["SecurityControlDefinitions"]]
        unknown = wanted - set(ids)
        if unknown:
            raise ValueError(f"controls not in the emulator's catalog: {sorted(unknown)}")
        updates = [
            {
                "StandardsArn": std,
                "SecurityControlId": cid,
                "AssociationStatus": "ENABLED" if cid in wanted else "DISABLED",
                **({} if cid in wanted else {"UpdatedReason": "seeded by test"}),
            }
            for cid in ids
        ]
        for i in range(0, len(updates), 100):
            resp = sh.batch_update_standards_control_associations(StandardsControlAssociationUpdates=updates[i : i + 100])
            if resp.get("UnprocessedAssociationUpdates"):
                raise RuntimeError(resp["UnprocessedAssociationUpdates"])
    if config1_role_check is not None:
        sh.update_security_control(
            SecurityControlId="Config.1",
            Parameters={CONFIG1_PARAM: {"ValueType": "CUSTOM", "Value": {"Boolean": bool(config1_role_check)}}},
            LastUpdateReason="seeded by test",
        )


def create_finding_aggregator(session: Any, home_region: str, linked_regions: Iterable[str] | None = None) -> str:
    """CreateFindingAggregator in ``home_region``: SPECIFIED_REGIONS when ``linked_regions``
    is given, else ALL_REGIONS.  Returns the aggregator ARN."""
    sh = session.client("securityhub", region_name=home_region)
    if linked_regions:
        resp = sh.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS", Regions=list(linked_regions))
    else:
        resp = sh.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
    return resp["FindingAggregatorArn"]


def ensure_config_slr(session: Any) -> str:
    """The AWSServiceRoleForConfig ARN, created via CreateServiceLinkedRole if absent."""
    iam = session.client("iam")
    try:
        return iam.get_role(RoleName=CONFIG_SLR_NAME)["Role"]["Arn"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "NoSuchEntity":
            raise
    return iam.create_service_linked_role(AWSServiceName=CONFIG_PRINCIPAL)["Role"]["Arn"]


def create_custom_role(session: Any, name: str = "MyConfigRole") -> str:
    """An ordinary IAM role trusted by config.amazonaws.com; returns its ARN."""
    iam = session.client("iam")
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": CONFIG_PRINCIPAL}, "Action": "sts:AssumeRole"}],
    }
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(doc))["Role"]["Arn"]


def put_recorder(
    session: Any,
    region: str,
    name: str = "default",
    role_arn: str | None = None,
    recording_group: dict[str, Any] | None = None,
    recording_mode: dict[str, Any] | None = None,
    start: bool = False,
    channel_bucket: str | None = None,
) -> dict[str, Any]:
    """PutConfigurationRecorder (role_arn=None: the Config SLR).  ``channel_bucket`` creates
    the bucket and a delivery channel "default"; ``start`` starts the recorder (needs a
    channel).  Returns DescribeConfigurationRecorders' entry."""
    cfg = session.client("config", region_name=region)
    recorder: dict[str, Any] = {"name": name, "roleARN": role_arn or ensure_config_slr(session)}
    if recording_group is not None:
        recorder["recordingGroup"] = recording_group
    if recording_mode is not None:
        recorder["recordingMode"] = recording_mode
    cfg.put_configuration_recorder(ConfigurationRecorder=recorder)
    if channel_bucket:
        s3 = session.client("s3", region_name=region)
        kwargs: dict[str, Any] = {"Bucket": channel_bucket}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            s3.create_bucket(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
        cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": channel_bucket})
    if start:
        cfg.start_configuration_recorder(ConfigurationRecorderName=name)
    return cfg.describe_configuration_recorders(ConfigurationRecorderNames=[name])["ConfigurationRecorders"][0]


def put_sh_service_linked_recorder(session: Any, region: str) -> dict[str, str]:
    """PutServiceLinkedConfigurationRecorder(securityhub.amazonaws.com) -> {Arn, Name}."""
    resp = session.client("config", region_name=region).put_service_linked_configuration_recorder(
        ServicePrincipal=SH_PRINCIPAL
    )
    return {"Arn": resp["Arn"], "Name": resp["Name"]}


def put_config1_finding(
    session: Any,
    region: str,
    status: str,
    reasons: Iterable[Any] = (),
    workflow: str = "NEW",
) -> str:
    """BatchImportFindings of a consolidated Config.1 control finding; returns its Id.

    ``reasons``: ReasonCode strings or ``{"ReasonCode", "Description"}`` dicts."""
    account = _account(session)
    now = "2026-01-01T00:00:00.000Z"
    finding_id = f"arn:aws:securityhub:{region}:{account}:security-control/Config.1/finding/{uuid.uuid4()}"
    compliance: dict[str, Any] = {"Status": status, "SecurityControlId": "Config.1"}
    status_reasons = [r if isinstance(r, dict) else {"ReasonCode": r} for r in reasons]
    if status_reasons:
        compliance["StatusReasons"] = status_reasons
    finding = {
        "SchemaVersion": "2018-10-08",
        "Id": finding_id,
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "GeneratorId": "security-control/Config.1",
        "AwsAccountId": account,
        "Region": region,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "CreatedAt": now,
        "UpdatedAt": now,
        "Severity": {"Label": "CRITICAL"},
        "Title": "AWS Config should be enabled and use the service-linked role for resource recording",
        "Description": "This control checks whether AWS Config is enabled in your account in the current Region.",
        "Resources": [{"Type": "AWS::::Account", "Id": f"AWS::::Account:{account}", "Partition": "aws", "Region": region}],
        "Compliance": compliance,
        "Workflow": {"Status": workflow},
        "RecordState": "ACTIVE",
    }
    resp = session.client("securityhub", region_name=region).batch_import_findings(Findings=[finding])
    if resp["FailedCount"]:
        raise RuntimeError(resp["FailedFindings"])
    return finding_id


def set_delivery_status(
    emulator_or_session: Any,
    account: str,
    region: str,
    status: str = "Failure",
    error_code: str | None = "AccessDenied",
    message: str | None = "Access Denied",
    channel: str = "*",
) -> None:
    """Harness hook: DescribeDeliveryChannelStatus then reports ``status`` (with the error
    code and message for Failure) in configHistoryDeliveryInfo and configSnapshotDeliveryInfo
    for ``channel`` ("*": every channel of that account and Region).  Accepts the Emulator
    (in-process) or a session whose config client reaches the emulator (uses HTTP)."""
    data = {"account": account, "region": region, "status": status, "error_code": error_code,
            "message": message, "channel": channel}
    endpoint = getattr(emulator_or_session, "endpoint", None)
    if not isinstance(endpoint, str) or not endpoint:
        endpoint = emulator_or_session.client("config", region_name=region).meta.endpoint_url
    _post(endpoint, "/_harness/delivery_status", data)


def set_security_hub_v2(emulator_or_session: Any, account: str, region: str, enabled: bool = True) -> None:
    """Harness hook (no session needed): make DescribeSecurityHubV2 answer (or stop
    answering) for that account and Region.  EnableSecurityHubV2 through boto3 works too."""
    endpoint = getattr(emulator_or_session, "endpoint", None)
    if not isinstance(endpoint, str) or not endpoint:
        endpoint = emulator_or_session.client("securityhub", region_name=region).meta.endpoint_url
    _post(endpoint, "/_harness/securityhub_v2", {"account": account, "region": region, "enabled": enabled})


def _post(endpoint: str, path: str, data: dict[str, Any]) -> Any:
    req = urllib.request.Request(
        endpoint.rstrip("/") + path, data=json.dumps(data).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")
