"""Tests of the emulator harness: extensions, shape validation, call log, faults, fixtures."""

from __future__ import annotations

import json
import urllib.request

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.harness import seed
from tests.harness.shapes import validate_output

ACCT = "123456789012"
OTHER = "210987654321"
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def _strip(resp: dict) -> dict:
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    return resp


def _raw(client, op_name: str, **kwargs) -> dict:
    """The response body as sent (JSON), captured before botocore parses it."""
    captured = {}

    def grab(response_dict=None, **_ignored):
        captured["body"] = response_dict["body"]

    client.meta.events.register(f"before-parse.*.{op_name}", grab)
    try:
        getattr(client, _snake(op_name))(**kwargs)
    finally:
        client.meta.events.unregister(f"before-parse.*.{op_name}", grab)
    return json.loads(captured["body"] or b"{}")


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _check(client, service, op_name, **kwargs) -> dict:
    body = _raw(client, op_name, **kwargs)
    assert validate_output(service, op_name, body) == [], body
    return body


# --- shapes -------------------------------------------------------------------------------
def test_validate_output_catches_wrong_key_type_and_missing_required():
    good = {"ConfigurationRecorderSummaries": [{"arn": "a", "name": "n", "recordingScope": "PAID"}]}
    assert validate_output("config", "ListConfigurationRecorders", good) == []
    wrong_key = {"ConfigurationRecorderSummaries": [{"arn": "a", "name": "n", "recordingScope": "PAID", "Arn": "x"}]}
    assert any("Arn" in e for e in validate_output("config", "ListConfigurationRecorders", wrong_key))
    wrong_type = {"ConfigurationRecorderSummaries": [{"arn": "a", "name": 5, "recordingScope": "PAID"}]}
    assert any("expected string" in e for e in validate_output("config", "ListConfigurationRecorders", wrong_type))
    missing = {"ConfigurationRecorderSummaries": [{"arn": "a", "name": "n"}]}
    assert any("recordingScope" in e and "required" in e for e in validate_output("config", "ListConfigurationRecorders", missing))
    bad_enum = {"ConfigurationRecorderSummaries": [{"arn": "a", "name": "n", "recordingScope": "paid"}]}
    assert any("enum" in e for e in validate_output("config", "ListConfigurationRecorders", bad_enum))
    bad_bool = {"SecurityControls": [], "UnprocessedIds": [{"SecurityControlId": "x", "ErrorCode": "NOT_FOUND", "ErrorReason": True}]}
    assert validate_output("securityhub", "BatchGetSecurityControls", bad_bool)


def test_shape_mismatch_is_answered_with_http_500(emulator, monkeypatch):
    from tests.harness.extensions import catalog

    s = emulator.session()
    seed.enable_security_hub(s, "us-east-1")
    monkeypatch.setattr(catalog, "severity", lambda cid: "SEVERE")  # not in SeverityRating
    with pytest.raises(ClientError) as exc:
        s.client("securityhub", config=NO_RETRY).batch_get_security_controls(SecurityControlIds=["Config.1"])
    assert exc.value.response["Error"]["Code"] == "HarnessShapeMismatch"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "SeverityRating" in exc.value.response["Error"]["Message"]


# --- AWS Config -----------------------------------------------------------------------------
def test_recording_mode_round_trips_and_is_kept(emulator):
    s = emulator.session()
    cfg = s.client("config")
    mode = {"recordingFrequency": "DAILY",
            "recordingModeOverrides": [{"resourceTypes": ["AWS::EC2::Instance"], "recordingFrequency": "CONTINUOUS"}]}
    rec = seed.put_recorder(s, "us-east-1", recording_mode=mode)
    assert rec["recordingMode"] == mode
    assert rec["recordingScope"] == "PAID"
    assert rec["arn"].startswith(f"arn:aws:config:us-east-1:{ACCT}:configuration-recorder/default/")
    assert rec["roleARN"].endswith("/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")
    # a put without recordingMode keeps the previous one (UNCONFIRMED AWS behaviour)
    cfg.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": rec["roleARN"]})
    body = _check(cfg, "config", "DescribeConfigurationRecorders")
    assert body["ConfigurationRecorders"][0]["recordingMode"] == mode
    assert body["ConfigurationRecorders"][0]["arn"] == rec["arn"]


def test_recording_mode_validation(emulator):
    cfg = emulator.session().client("config")
    role = f"arn:aws:iam::{ACCT}:role/r"
    too_many = {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": [
        {"resourceTypes": ["AWS::EC2::Instance"], "recordingFrequency": "DAILY"},
        {"resourceTypes": ["AWS::S3::Bucket"], "recordingFrequency": "DAILY"}]}
    daily_forbidden = {"recordingFrequency": "CONTINUOUS", "recordingModeOverrides": [
        {"resourceTypes": ["AWS::Config::ResourceCompliance"], "recordingFrequency": "DAILY"}]}
    with pytest.raises(ClientError) as exc:
        cfg.put_configuration_recorder(ConfigurationRecorder={"name": "default"})
    assert exc.value.response["Error"]["Code"] == "ValidationException"
    for mode in (too_many, daily_forbidden):
        with pytest.raises(ClientError) as exc:
            cfg.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": role, "recordingMode": mode})
        assert exc.value.response["Error"]["Code"] == "ValidationException"


def test_control_table_types_are_accepted(emulator):
    from tests.harness.extensions.catalog import control_resource_types

    cfg = emulator.session().client("config")
    types = sorted(control_resource_types())
    cfg.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{ACCT}:role/r",
        "recordingGroup": {"allSupported": False, "resourceTypes": types,
                           "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}}})
    got = cfg.describe_configuration_recorders()["ConfigurationRecorders"][0]["recordingGroup"]["resourceTypes"]
    assert sorted(got) == types
    with pytest.raises(ClientError):
        cfg.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": f"arn:aws:iam::{ACCT}:role/r",
            "recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::Nope::Thing"]}})


def test_start_reports_success_and_delivery_status(emulator):
    s = emulator.session(region="eu-west-1")
    seed.put_recorder(s, "eu-west-1", role_arn=seed.create_custom_role(s), start=True, channel_bucket="cfg-bucket-eu")
    cfg = s.client("config")
    body = _check(cfg, "config", "DescribeConfigurationRecorderStatus")
    st = body["ConfigurationRecordersStatus"][0]
    assert st["recording"] is True and st["lastStatus"] == "Success" and st["arn"].startswith("arn:aws:config:eu-west-1:")
    body = _check(cfg, "config", "DescribeDeliveryChannelStatus")
    assert body["DeliveryChannelsStatus"][0]["configHistoryDeliveryInfo"]["lastStatus"] == "Success"
    seed.set_delivery_status(emulator, ACCT, "eu-west-1", error_code="NoSuchBucket", message="The bucket does not exist")
    body = _check(cfg, "config", "DescribeDeliveryChannelStatus", DeliveryChannelNames=["default"])
    info = body["DeliveryChannelsStatus"][0]["configHistoryDeliveryInfo"]
    assert (info["lastStatus"], info["lastErrorCode"]) == ("Failure", "NoSuchBucket")
    # the hook also works through a session (HTTP), and only for that Region
    seed.set_delivery_status(s, ACCT, "eu-west-1", status="Success")
    assert cfg.describe_delivery_channel_status()["DeliveryChannelsStatus"][0]["configSnapshotDeliveryInfo"]["lastStatus"] == "Success"


def test_service_linked_recorder_listing_and_protection(emulator):
    s = emulator.session()
    cfg = s.client("config")
    seed.put_recorder(s, "us-east-1", role_arn=seed.create_custom_role(s))
    out = seed.put_sh_service_linked_recorder(s, "us-east-1")
    assert out["Name"] == "AWSConfigurationRecorderForSecurityHubCSPM"
    # PutServiceLinkedConfigurationRecorder created the Config SLR
    assert s.client("iam").get_role(RoleName="AWSServiceRoleForConfig")["Role"]["Path"] == "/aws-service-role/config.amazonaws.com/"
    body = _check(cfg, "config", "ListConfigurationRecorders")
    scopes = {r["name"]: (r["recordingScope"], r.get("servicePrincipal")) for r in body["ConfigurationRecorderSummaries"]}
    assert scopes == {"default": ("PAID", None),
                      "AWSConfigurationRecorderForSecurityHubCSPM": ("INTERNAL", "securityhub.amazonaws.com")}
    body = _check(cfg, "config", "ListConfigurationRecorders", Filters=[{"filterName": "recordingScope", "filterValue": ["INTERNAL"]}])
    assert [r["name"] for r in body["ConfigurationRecorderSummaries"]] == ["AWSConfigurationRecorderForSecurityHubCSPM"]
    page = cfg.list_configuration_recorders(MaxResults=1)
    assert len(page["ConfigurationRecorderSummaries"]) == 1 and page["NextToken"]
    # describe without selectors: customer-managed only; with selectors: the SLR
    assert [r["name"] for r in cfg.describe_configuration_recorders()["ConfigurationRecorders"]] == ["default"]
    body = _check(cfg, "config", "DescribeConfigurationRecorders", ServicePrincipal="securityhub.amazonaws.com")
    slr = body["ConfigurationRecorders"][0]
    assert slr["recordingScope"] == "INTERNAL" and slr["arn"] == out["Arn"]
    body = _check(cfg, "config", "DescribeConfigurationRecorderStatus", Arn=out["Arn"])
    assert body["ConfigurationRecordersStatus"][0]["recording"] is True
    with pytest.raises(ClientError) as exc:
        cfg.put_service_linked_configuration_recorder(ServicePrincipal="securityhub.amazonaws.com")
    assert exc.value.response["Error"]["Code"] == "ConflictException"
    for call in (cfg.start_configuration_recorder, cfg.stop_configuration_recorder, cfg.delete_configuration_recorder):
        with pytest.raises(ClientError) as exc:
            call(ConfigurationRecorderName=out["Name"])
        assert exc.value.response["Error"]["Code"] == "UnmodifiableEntityException"
    with pytest.raises(ClientError) as exc:
        cfg.put_configuration_recorder(ConfigurationRecorder={"name": out["Name"], "roleARN": slr["roleARN"]})
    assert exc.value.response["Error"]["Code"] == "UnmodifiableEntityException"


# --- IAM ----------------------------------------------------------------------------------------
def test_config_slr_name_and_duplicate(emulator):
    iam = emulator.session().client("iam")
    role = iam.create_service_linked_role(AWSServiceName="config.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForConfig"
    assert role["Path"] == "/aws-service-role/config.amazonaws.com/"
    with pytest.raises(ClientError) as exc:
        iam.create_service_linked_role(AWSServiceName="config.amazonaws.com")
    err = exc.value.response
    assert err["Error"]["Code"] == "InvalidInput"
    assert err["Error"]["Message"] == (
        "Service role name AWSServiceRoleForConfig has been taken in this account, please try a different suffix.")
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- Security Hub -----------------------------------------------------------------------------------
def test_security_hub_not_enabled(emulator):
    sh = emulator.session().client("securityhub", region_name="ap-south-1", config=NO_RETRY)
    for call, kwargs in ((sh.describe_hub, {}), (sh.get_enabled_standards, {}),
                         (sh.batch_get_security_controls, {"SecurityControlIds": ["Config.1"]}),
                         (sh.get_findings, {})):
        with pytest.raises(ClientError) as exc:
            call(**kwargs)
        assert exc.value.response["Error"]["Code"] == "InvalidAccessException"
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
        assert exc.value.response["Error"]["Message"] == f"Account {ACCT} is not subscribed to AWS Security Hub"


def test_security_hub_standards_and_controls(emulator):
    s = emulator.session()
    sh = s.client("securityhub")
    seed.enable_security_hub(s, "us-east-1", controls=["Config.1", "IAM.4", "S3.5"])
    body = _check(sh, "securityhub", "DescribeHub")
    assert body["HubArn"] == f"arn:aws:securityhub:us-east-1:{ACCT}:hub/default"
    body = _check(sh, "securityhub", "GetEnabledStandards")
    assert [x["StandardsArn"] for x in body["StandardsSubscriptions"]] == [seed.fsbp_arn("us-east-1")]
    sub = body["StandardsSubscriptions"][0]["StandardsSubscriptionArn"]
    body = _check(sh, "securityhub", "BatchGetSecurityControls", SecurityControlIds=["Config.1", "ACM.1", "Bogus.9"])
    status = {c["SecurityControlId"]: c["SecurityControlStatus"] for c in body["SecurityControls"]}
    assert status == {"Config.1": "ENABLED", "ACM.1": "DISABLED"}
    assert body["UnprocessedIds"][0] == {"SecurityControlId": "Bogus.9", "ErrorCode": "NOT_FOUND",
                                         "ErrorReason": body["UnprocessedIds"][0]["ErrorReason"]}
    config1 = body["SecurityControls"][0]
    assert config1["Parameters"] == {"includeConfigServiceLinkedRoleCheck": {"ValueType": "DEFAULT", "Value": {"Boolean": True}}}
    # DescribeStandardsControls is paged and reflects the disabled controls
    controls = []
    for page in sh.get_paginator("describe_standards_controls").paginate(StandardsSubscriptionArn=sub, PaginationConfig={"PageSize": 100}):
        assert validate_output("securityhub", "DescribeStandardsControls", {"Controls": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in c.items()} for c in page["Controls"]]}) == []
        controls += page["Controls"]
    enabled = sorted(c["ControlId"] for c in controls if c["ControlStatus"] == "ENABLED")
    assert enabled == ["Config.1", "IAM.4", "S3.5"]
    # definitions: paged, MaxResults <= 100, Config.1 parameter definition
    body = _check(sh, "securityhub", "ListSecurityControlDefinitions", MaxResults=100)
    assert len(body["SecurityControlDefinitions"]) == 100 and body["NextToken"]
    with pytest.raises(ClientError):
        s.client("securityhub", config=NO_RETRY).list_security_control_definitions(MaxResults=101)
    total = sum(len(p["SecurityControlDefinitions"]) for p in sh.get_paginator("list_security_control_definitions").paginate())
    assert total >= 460
    body = _check(sh, "securityhub", "GetSecurityControlDefinition", SecurityControlId="Config.1")
    d = body["SecurityControlDefinition"]
    assert d["CurrentRegionAvailability"] == "AVAILABLE" and d["SeverityRating"] == "CRITICAL"
    assert d["ParameterDefinitions"]["includeConfigServiceLinkedRoleCheck"]["ConfigurationOptions"] == {"Boolean": {"DefaultValue": True}}
    # CIS 5.0.0 enable/disable and associations
    cis = seed.cis5_arn("us-east-1")
    body = _check(sh, "securityhub", "BatchEnableStandards", StandardsSubscriptionRequests=[{"StandardsArn": cis}])
    body = _check(sh, "securityhub", "ListStandardsControlAssociations", SecurityControlId="ACM.1")
    assert [(a["StandardsArn"], a["AssociationStatus"]) for a in body["StandardsControlAssociationSummaries"]] == [
        (seed.fsbp_arn("us-east-1"), "DISABLED")]
    body = _check(sh, "securityhub", "ListStandardsControlAssociations", SecurityControlId="IAM.4")
    assert len(body["StandardsControlAssociationSummaries"]) == 2
    body = _check(sh, "securityhub", "BatchGetStandardsControlAssociations", StandardsControlAssociationIds=[
        {"SecurityControlId": "ACM.1", "StandardsArn": seed.fsbp_arn("us-east-1")},
        {"SecurityControlId": "ACM.1", "StandardsArn": cis}])
    assert body["StandardsControlAssociationDetails"][0]["AssociationStatus"] == "DISABLED"
    assert body["UnprocessedAssociations"][0]["ErrorCode"] == "NOT_FOUND"
    body = _check(sh, "securityhub", "BatchUpdateStandardsControlAssociations", StandardsControlAssociationUpdates=[
        {"SecurityControlId": "EC2.2", "StandardsArn": cis, "AssociationStatus": "DISABLED"}])
    assert body["UnprocessedAssociationUpdates"][0]["ErrorCode"] == "INVALID_INPUT"  # UpdatedReason required
    sh.batch_update_standards_control_associations(StandardsControlAssociationUpdates=[
        {"SecurityControlId": "ACM.1", "StandardsArn": seed.fsbp_arn("us-east-1"), "AssociationStatus": "ENABLED"}])
    assert sh.batch_get_security_controls(SecurityControlIds=["ACM.1"])["SecurityControls"][0]["SecurityControlStatus"] == "ENABLED"
    cis_sub = sh.get_enabled_standards()["StandardsSubscriptions"][1]["StandardsSubscriptionArn"]
    body = _check(sh, "securityhub", "BatchDisableStandards", StandardsSubscriptionArns=[cis_sub])
    assert body["StandardsSubscriptions"][0]["StandardsStatus"] == "DELETING"
    assert len(sh.get_enabled_standards()["StandardsSubscriptions"]) == 1


def test_update_security_control_updating_then_ready(emulator):
    s = emulator.session(region="eu-central-1")
    seed.enable_security_hub(s, "eu-central-1", config1_role_check=False)
    sh = s.client("securityhub", config=NO_RETRY)
    with pytest.raises(ClientError) as exc:
        sh.update_security_control(SecurityControlId="Config.1", Parameters={
            "includeConfigServiceLinkedRoleCheck": {"ValueType": "DEFAULT"}})
    assert exc.value.response["Error"]["Code"] == "ResourceInUseException"
    first = _check(sh, "securityhub", "BatchGetSecurityControls", SecurityControlIds=["Config.1"])["SecurityControls"][0]
    assert first["UpdateStatus"] == "UPDATING"
    assert first["Parameters"]["includeConfigServiceLinkedRoleCheck"] == {"ValueType": "CUSTOM", "Value": {"Boolean": False}}
    assert first["LastUpdateReason"] == "seeded by test"
    second = sh.batch_get_security_controls(SecurityControlIds=["Config.1"])["SecurityControls"][0]
    assert second["UpdateStatus"] == "READY"
    sh.update_security_control(SecurityControlId="Config.1", Parameters={"includeConfigServiceLinkedRoleCheck": {"ValueType": "DEFAULT"}})
    sh.batch_get_security_controls(SecurityControlIds=["Config.1"])
    third = sh.batch_get_security_controls(SecurityControlIds=["Config.1"])["SecurityControls"][0]
    assert third["Parameters"]["includeConfigServiceLinkedRoleCheck"]["ValueType"] == "DEFAULT"


def test_finding_aggregator_visible_from_every_region(emulator):
    s = emulator.session()
    for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
        seed.enable_security_hub(s, region)
    arn = seed.create_finding_aggregator(s, "us-east-1", linked_regions=["eu-west-1"])
    for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
        sh = s.client("securityhub", region_name=region)
        body = _check(sh, "securityhub", "ListFindingAggregators")
        assert body["FindingAggregators"] == [{"FindingAggregatorArn": arn}]
        body = _check(sh, "securityhub", "GetFindingAggregator", FindingAggregatorArn=arn)
        assert (body["FindingAggregationRegion"], body["RegionLinkingMode"], body["Regions"]) == (
            "us-east-1", "SPECIFIED_REGIONS", ["eu-west-1"])
    # linked-Region findings show up in the home Region
    seed.put_config1_finding(s, "eu-west-1", "FAILED", reasons=["CONFIG_RECORDER_DISABLED"])
    home = s.client("securityhub", region_name="us-east-1")
    assert len(home.get_findings()["Findings"]) == 1
    assert len(s.client("securityhub", region_name="ap-southeast-2").get_findings()["Findings"]) == 0
    _check(home, "securityhub", "DeleteFindingAggregator", FindingAggregatorArn=arn)
    assert home.list_finding_aggregators()["FindingAggregators"] == []


def test_get_findings_filters(emulator):
    s = emulator.session()
    seed.enable_security_hub(s, "us-east-1")
    seed.put_config1_finding(s, "us-east-1", "FAILED", reasons=["CONFIG_RECORDER_CUSTOM_ROLE"])
    seed.put_config1_finding(s, "us-east-1", "PASSED", workflow="RESOLVED")
    sh = s.client("securityhub")

    def eq(value):
        return [{"Value": value, "Comparison": "EQUALS"}]

    base = {"ComplianceSecurityControlId": eq("Config.1"), "RecordState": eq("ACTIVE"),
            "AwsAccountId": eq(ACCT), "Region": eq("us-east-1")}
    body = _check(sh, "securityhub", "GetFindings", Filters=base)
    assert len(body["Findings"]) == 2
    failed = sh.get_findings(Filters={**base, "ComplianceStatus": eq("FAILED")})["Findings"]
    assert [f["Compliance"]["StatusReasons"][0]["ReasonCode"] for f in failed] == ["CONFIG_RECORDER_CUSTOM_ROLE"]
    assert len(sh.get_findings(Filters={"GeneratorId": [{"Value": "security-control/", "Comparison": "PREFIX"}]})["Findings"]) == 2
    assert sh.get_findings(Filters={"Region": eq("eu-west-1")})["Findings"] == []
    assert len(sh.get_findings(Filters={"AwsAccountId": eq(ACCT)}, MaxResults=1)["Findings"]) == 1


def test_security_hub_v2(emulator):
    s = emulator.session()
    sh = s.client("securityhub", config=NO_RETRY)
    with pytest.raises(ClientError) as exc:
        sh.describe_security_hub_v2()
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    seed.set_security_hub_v2(emulator, ACCT, "us-east-1")
    body = _check(sh, "securityhub", "DescribeSecurityHubV2")
    assert body["HubV2Arn"].startswith(f"arn:aws:securityhub:us-east-1:{ACCT}:hubv2/")


# --- call log, accounts, faults, reset -----------------------------------------------------------
def test_call_log_counts_and_classifies(emulator):
    s = emulator.session()
    other = emulator.session(OTHER, "eu-west-1")
    emulator.reset_calls()
    cfg = s.client("config")
    cfg.describe_configuration_recorders()
    cfg.describe_configuration_recorders()
    seed.put_recorder(s, "us-east-1")  # role_arn=None: GetRole + CreateServiceLinkedRole
    other.client("config").describe_configuration_recorder_status()
    other.client("securityhub").enable_security_hub()
    calls = emulator.calls(account=ACCT, service="config")
    assert [c.operation for c in calls if c.operation.startswith("Describe")] == ["DescribeConfigurationRecorders"] * 3
    puts = [c for c in calls if c.operation == "PutConfigurationRecorder"]
    assert len(puts) == 1 and puts[0].mutating is True and puts[0].region == "us-east-1"
    assert all(not c.mutating for c in calls if c.operation.startswith("Describe"))
    assert [c.operation for c in emulator.calls(account=OTHER, region="eu-west-1")] == [
        "DescribeConfigurationRecorderStatus", "EnableSecurityHub"]
    assert [c.operation for c in emulator.calls(account=OTHER, mutating=True)] == ["EnableSecurityHub"]
    assert [(c.operation, c.mutating) for c in emulator.calls(account=ACCT, service="iam")] == [
        ("GetRole", False), ("CreateServiceLinkedRole", True)]
    # the same log over HTTP
    with urllib.request.urlopen(emulator.endpoint + f"/_harness/calls?account={OTHER}") as resp:
        data = json.loads(resp.read())
    assert [d["operation"] for d in data] == ["DescribeConfigurationRecorderStatus", "EnableSecurityHub"]
    urllib.request.urlopen(urllib.request.Request(emulator.endpoint + "/_harness/reset_calls", data=b"", method="POST")).read()
    assert emulator.calls() == []


def test_cross_account_sessions(emulator):
    a = emulator.session(OTHER, "eu-west-1")
    assert a.client("sts").get_caller_identity()["Account"] == OTHER
    assert emulator.session(OTHER, "eu-west-1") is a
    seed.put_recorder(a, "eu-west-1", role_arn=f"arn:aws:iam::{OTHER}:role/r")
    assert emulator.session().client("config", region_name="eu-west-1").describe_configuration_recorders()["ConfigurationRecorders"] == []
    assert len(a.client("config").describe_configuration_recorders()["ConfigurationRecorders"]) == 1
    assert {c.account for c in emulator.calls(service="config", region="eu-west-1")} == {OTHER, ACCT}
    assert all(c.account == OTHER for c in emulator.calls(service="config", mutating=True))


def test_fault_injection_json_restjson_query_and_times(emulator):
    s = emulator.session()
    cfg = s.client("config", config=NO_RETRY)
    emulator.inject_fault("config", "DescribeConfigurationRecorders", code="ThrottlingException",
                          message="Rate exceeded", status=400, times=2)
    for _ignored in range(2):
        with pytest.raises(ClientError) as exc:
            cfg.describe_configuration_recorders()
        assert exc.value.response["Error"]["Code"] == "ThrottlingException"
    assert cfg.describe_configuration_recorders()["ConfigurationRecorders"] == []  # times expired
    emulator.inject_fault("securityhub", "GetFindings", code="LimitExceededException", message="slow down", status=429)
    with pytest.raises(ClientError) as exc:
        s.client("securityhub", config=NO_RETRY).get_findings()
    assert exc.value.response["Error"]["Code"] == "LimitExceededException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    emulator.inject_fault("iam", "GetRole", code="AccessDenied", message="nope", status=403)
    with pytest.raises(ClientError) as exc:
        s.client("iam", config=NO_RETRY).get_role(RoleName="x")
    assert (exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]) == ("AccessDenied", "nope")
    # CloudWatch (botocore 1.44 speaks smithy-rpc-v2-cbor to it): the error comes back as CBOR
    emulator.inject_fault("cloudwatch", code="Throttling", message="Rate exceeded", times=1)
    with pytest.raises(ClientError) as exc:
        s.client("cloudwatch", config=NO_RETRY).list_metrics()
    assert exc.value.response["Error"]["Code"] == "Throttling"
    # opt-in Region disabled: every service in that Region, any account
    emulator.inject_fault(None, region="af-south-1", code="UnrecognizedClientException",
                          message="The security token included in the request is invalid", status=403)
    with pytest.raises(ClientError) as exc:
        s.client("config", region_name="af-south-1", config=NO_RETRY).describe_configuration_recorders()
    assert exc.value.response["Error"]["Code"] == "UnrecognizedClientException"
    with pytest.raises(ClientError) as exc:
        s.client("ec2", region_name="af-south-1", config=NO_RETRY).describe_regions()
    assert exc.value.response["Error"]["Code"] == "UnrecognizedClientException"
    emulator.clear_faults()
    s.client("iam").list_roles()


def test_reset_wipes_state(emulator):
    s = emulator.session()
    seed.put_recorder(s, "us-east-1")
    seed.enable_security_hub(s, "us-east-1")
    seed.put_sh_service_linked_recorder(s, "us-east-1")
    seed.create_finding_aggregator(s, "us-east-1")
    emulator.inject_fault("sts", "GetCallerIdentity", code="Throttling", message="x")
    emulator.reset()
    assert emulator.calls() == []
    s = emulator.session()
    assert s.client("sts").get_caller_identity()["Account"] == ACCT  # fault cleared
    cfg = s.client("config")
    assert cfg.describe_configuration_recorders()["ConfigurationRecorders"] == []
    assert cfg.list_configuration_recorders()["ConfigurationRecorderSummaries"] == []
    with pytest.raises(ClientError):
        s.client("securityhub", config=NO_RETRY).describe_hub()
    s.client("securityhub").enable_security_hub()
    assert s.client("securityhub").list_finding_aggregators()["FindingAggregators"] == []
    with pytest.raises(ClientError):
        s.client("iam").get_role(RoleName="AWSServiceRoleForConfig")


def test_env_for_subprocess(emulator, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "tok")
    env = emulator.env()
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint
    assert env["AWS_ACCESS_KEY_ID"] == env["AWS_SECRET_ACCESS_KEY"] == "testing"
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert not env.get("AWS_PROFILE") and not env.get("AWS_SESSION_TOKEN")


def test_emulator_module_runs_in_foreground():
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "tests.harness.emulator", "--port", "0"], cwd=root,
                            stdout=subprocess.PIPE, text=True)
    try:
        endpoint = proc.stdout.readline().strip()
        assert endpoint.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(endpoint + "/_harness/calls") as resp:
            assert json.loads(resp.read()) == []
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    assert os.name  # keep imports used
