# -*- coding: utf-8 -*-
"""Unit tests for verdict.py: the Config.1 verdict over plain gathered dicts (no AWS)."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import verdict
from ansible_collections.secops.config1.plugins.module_utils.control_table import CONTROLS

from tests.unit import fixtures as f

DISABLED, MISSING, CUSTOM = c.RECORDER_DISABLED, c.MISSING_TYPES, c.CUSTOM_ROLE


def codes(result):
    return [r["code"] for r in result["reasons"]]


def missing_text(types):
    return (
        "AWS Config isn't recording all resource types that correspond to enabled Security Hub controls. "
        "Turn on recording for the following resources: %s." % ", ".join(types)
    )


def test_fixture_controls_match_the_table():
    # The tests below rely on these mappings; fail loudly if the generated table changes.
    assert CONTROLS[f.S3_CONTROL] == ("AWS::S3::Bucket",)
    assert CONTROLS[f.KMS_CONTROL] == ("AWS::KMS::Key",)
    assert CONTROLS[f.IAM_POLICY_CONTROL] == ("AWS::IAM::Policy",)
    assert CONTROLS[f.IAM_ALL_CONTROL] == ("AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User")


# --- reason codes, alone and combined --------------------------------------------------------------
REASON_CASES = [
    # id, recorder, recording, expected codes, expected missing types
    ("passing", f.recorder(), True, [], []),
    ("no-recorder", None, False, [DISABLED], []),
    ("stopped", f.recorder(), False, [DISABLED], []),
    # A stopped recorder is reported as DISABLED only, whatever else is wrong with it.
    ("stopped-custom-missing", f.recorder(f.inclusion([]), role=f.CUSTOM_ROLE), False, [DISABLED], f.ALL_TYPES),
    ("missing-only", f.recorder(f.inclusion(["AWS::KMS::Key"])), True, [MISSING],
     ["AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::S3::Bucket"]),
    ("custom-only", f.recorder(role=f.CUSTOM_ROLE), True, [CUSTOM], []),
    ("missing-and-custom", f.recorder(f.all_supported(False), role=f.CUSTOM_ROLE), True, [MISSING, CUSTOM], f.IAM_NEEDED),
]


@pytest.mark.parametrize("rec,recording,expected,missing", [x[1:] for x in REASON_CASES], ids=[x[0] for x in REASON_CASES])
def test_reason_codes(rec, recording, expected, missing):
    st = f.state(rec=rec, recording=recording)
    res = verdict.evaluate_region(st, f.account())
    assert codes(res) == expected  # order matters: MISSING before CUSTOM, as in AWS's live finding
    assert res["status"] == (c.FAILED if expected else c.PASSED)
    assert res["missing_resource_types"] == missing
    assert res["required_resource_types"] == f.ALL_TYPES
    for r in res["reasons"]:
        if r["code"] == MISSING:
            assert r["description"] == missing_text(missing)
        else:
            assert r["description"] == c.REASON_TEXT[r["code"]]


def test_disabled_text_is_the_live_one():
    res = verdict.evaluate_region(f.state(rec=None), f.account())
    assert res["reasons"] == [{"code": DISABLED, "description": "AWS Config isn't enabled with the configuration recorder turned on."}]
    assert res["recorder"] is None


def test_recorder_without_status_is_disabled():
    st = f.state()
    st["recorder_status"] = None
    assert codes(verdict.evaluate_region(st, f.account())) == [DISABLED]


def test_missing_description_lists_types_comma_separated_with_period():
    st = f.state(rec=f.recorder(f.inclusion(["AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::User"])))
    res = verdict.evaluate_region(st, f.account())
    assert codes(res) == [MISSING]
    desc = res["reasons"][0]["description"]
    assert desc.endswith(": AWS::KMS::Key, AWS::S3::Bucket.")
    assert "{types}" not in desc


def test_custom_role_text_is_the_live_one():
    res = verdict.evaluate_region(f.state(rec=f.recorder(role=f.CUSTOM_ROLE)), f.account())
    assert res["reasons"][0]["description"] == (
        "The AWS Config recorder is using a custom IAM role instead of the AWS Config service-linked role.")
    assert res["recorder"]["uses_service_linked_role"] is False


@pytest.mark.parametrize("role_arn,uses_slr", [
    (f.SLR, True),
    ("arn:aws-cn:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", True),
    ("arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AwsServiceRoleForConfig", True),
    ("arn:aws:iam::123456789012:role/AWSServiceRoleForConfig", False),  # right name, no service-role path
    (f.CUSTOM_ROLE, False),
    (None, False),
])
def test_service_linked_role_recognition(role_arn, uses_slr):
    res = verdict.evaluate_region(f.state(rec=f.recorder(role=role_arn)), f.account())
    assert res["recorder"]["uses_service_linked_role"] is uses_slr
    assert codes(res) == ([] if uses_slr else [CUSTOM])


# --- the includeConfigServiceLinkedRoleCheck parameter --------------------------------------------
@pytest.mark.parametrize("params,role_check", [
    (None, True),
    ({}, True),
    (f.role_param(False), False),
    (f.role_param(True), True),
    (f.role_param(False, value_type="DEFAULT"), True),  # DEFAULT: Security Hub ignores Value
    (f.role_param(None, value_type="CUSTOM"), True),
    ({"someOtherParameter": {"ValueType": "CUSTOM", "Value": {"Boolean": False}}}, True),
])
def test_role_check_parameter(params, role_check):
    assert verdict.role_check_enabled(params) is role_check
    sh = f.security_hub(params=params)
    if params is None:
        sh["config1_parameters"] = None
    res = verdict.evaluate_region(f.state(rec=f.recorder(role=f.CUSTOM_ROLE), sh=sh), f.account())
    assert res["security_hub"]["role_check"] is role_check
    assert codes(res) == ([CUSTOM] if role_check else [])
    assert res["status"] == (c.FAILED if role_check else c.PASSED)


def test_waiver_does_not_hide_missing_types_or_disabled():
    sh = f.security_hub(params=f.role_param(False))
    st = f.state(rec=f.recorder(f.all_supported(False), role=f.CUSTOM_ROLE), sh=sh)
    assert codes(verdict.evaluate_region(st, f.account())) == [MISSING]
    st = f.state(rec=f.recorder(role=f.CUSTOM_ROLE), sh=sh, recording=False)
    assert codes(verdict.evaluate_region(st, f.account())) == [DISABLED]


@pytest.mark.parametrize("option,params,expected", [
    (False, None, []),
    (True, f.role_param(False), [CUSTOM]),
    (None, f.role_param(False), []),
])
def test_role_check_option_overrides_parameter(option, params, expected):
    st = f.state(rec=f.recorder(role=f.CUSTOM_ROLE), sh=f.security_hub(params=params))
    res = verdict.evaluate_region(st, f.account(), {"role_check": option})
    assert codes(res) == expected


# --- Region roles in cross-Region aggregation --------------------------------------------------
ROLE_CASES = [
    # region, aggregator, home_region option, expected role
    (f.HOME, None, None, "standalone"),
    (f.OTHER, None, None, "standalone"),
    (f.HOME, f.aggregator(), None, "home"),
    (f.OTHER, f.aggregator(), None, "linked"),
    (f.OTHER, f.aggregator(mode_="ALL_REGIONS_EXCEPT_SPECIFIED", regions=[f.OTHER]), None, "standalone"),
    (f.THIRD, f.aggregator(mode_="ALL_REGIONS_EXCEPT_SPECIFIED", regions=[f.OTHER]), None, "linked"),
    (f.OTHER, f.aggregator(mode_="SPECIFIED_REGIONS", regions=[f.OTHER]), None, "linked"),
    (f.THIRD, f.aggregator(mode_="SPECIFIED_REGIONS", regions=[f.OTHER]), None, "standalone"),
    (f.HOME, f.aggregator(mode_="SPECIFIED_REGIONS", regions=[f.OTHER]), None, "home"),
    (f.OTHER, f.aggregator(mode_="NO_REGIONS"), None, "standalone"),
    (f.HOME, f.aggregator(mode_="NO_REGIONS"), None, "home"),
    (f.OTHER, dict(f.aggregator(), mode=None), None, "linked"),  # no mode read: ALL_REGIONS
    # home_region option without an aggregator: every other Region is linked to it
    (f.HOME, None, f.HOME, "home"),
    (f.OTHER, None, f.HOME, "linked"),
    # home_region option naming the aggregator's home: the aggregator's linking mode still applies
    (f.THIRD, f.aggregator(mode_="SPECIFIED_REGIONS", regions=[f.OTHER]), f.HOME, "standalone"),
    (f.OTHER, f.aggregator(mode_="SPECIFIED_REGIONS", regions=[f.OTHER]), f.HOME, "linked"),
    # home_region option naming another Region than the aggregator: the option wins
    (f.OTHER, f.aggregator(), f.OTHER, "home"),
    (f.HOME, f.aggregator(), f.OTHER, "linked"),
    (f.THIRD, f.aggregator(mode_="NO_REGIONS"), f.OTHER, "linked"),
]


@pytest.mark.parametrize("region,agg,home_option,expected", ROLE_CASES)
def test_region_role(region, agg, home_option, expected):
    acct = f.account(agg)
    assert verdict.region_role(region, acct, home_option) == expected
    # evaluate_region reports the same role and counts IAM globals only outside linked Regions
    st = f.state(region=region, rec=f.recorder(f.all_supported(include_global=False), region=region))
    res = verdict.evaluate_region(st, acct, {"home_region": home_option})
    assert res["region_role"] == expected
    if expected == "linked":
        assert res["required_resource_types"] == f.REGIONAL_TYPES
        assert res["status"] == c.PASSED
    else:
        assert res["required_resource_types"] == f.ALL_TYPES
        assert codes(res) == [MISSING]
        assert res["missing_resource_types"] == f.IAM_NEEDED
    assert res["security_hub"]["home_region"] == (home_option or (agg or {}).get("home_region"))


def test_required_types_drop_iam_only_in_linked_regions():
    assert verdict.required_types(f.ALL_CONTROLS, "home") == f.ALL_TYPES
    assert verdict.required_types(f.ALL_CONTROLS, "standalone") == f.ALL_TYPES
    assert verdict.required_types(f.ALL_CONTROLS, "linked") == f.REGIONAL_TYPES
    assert verdict.required_types(["S3.17", "S3.5"], "home") == ["AWS::KMS::Alias", "AWS::KMS::Key", "AWS::S3::Bucket"]
    assert verdict.required_types([], "home") == []
    assert verdict.required_types(["Nope.1"], "home") == []


def test_linked_region_with_only_iam_controls_needs_nothing():
    st = f.state(region=f.OTHER, rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), sh=f.security_hub(f.IAM_CONTROLS))
    res = verdict.evaluate_region(st, f.account(f.aggregator()))
    assert res["required_resource_types"] == []
    assert res["status"] == c.PASSED


# --- recording strategies ------------------------------------------------------------------------
STRATEGY_CASES = [
    # id, recording group, missing in home/standalone, missing in linked
    ("all-supported+global", f.all_supported(True), [], []),
    ("all-supported-no-global", f.all_supported(False), f.IAM_NEEDED, []),
    ("legacy-all-supported+global", f.all_supported(True, legacy=True), [], []),
    ("legacy-all-supported-no-global", f.all_supported(False, legacy=True), f.IAM_NEEDED, []),
    ("legacy-all-supported-flag-absent", {"allSupported": True}, f.IAM_NEEDED, []),
    ("inclusion-all", f.inclusion(f.ALL_TYPES), [], []),
    ("inclusion-regional-only", f.inclusion(f.REGIONAL_TYPES), f.IAM_NEEDED, []),
    ("inclusion-partial", f.inclusion(["AWS::S3::Bucket", "AWS::IAM::User"]),
     ["AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::KMS::Key"], ["AWS::KMS::Key"]),
    ("inclusion-empty", f.inclusion([]), f.ALL_TYPES, f.REGIONAL_TYPES),
    ("inclusion-legacy", f.inclusion(f.REGIONAL_TYPES, legacy=True), f.IAM_NEEDED, []),
    ("inclusion-case-insensitive", f.inclusion([t.lower() for t in f.ALL_TYPES]), [], []),
    # includeGlobalResourceTypes means nothing under INCLUSION: IAM types must be listed
    ("inclusion-global-flag-ignored", dict(f.inclusion(f.REGIONAL_TYPES), includeGlobalResourceTypes=True), f.IAM_NEEDED, []),
    # EXCLUSION records IAM types unless excluded, whatever includeGlobalResourceTypes says
    ("exclusion-unrelated", f.exclusion(["AWS::EC2::NetworkInterface"]), [], []),
    ("exclusion-unrelated-flag-false", f.exclusion(["AWS::EC2::NetworkInterface"], include_global=False), [], []),
    ("exclusion-iam", f.exclusion(f.IAM), f.IAM_NEEDED, []),
    ("exclusion-iam-user", f.exclusion(["AWS::IAM::User"], include_global=True), ["AWS::IAM::User"], []),
    ("exclusion-required-regional", f.exclusion(["AWS::S3::Bucket", "AWS::IAM::Role"]),
     ["AWS::IAM::Role", "AWS::S3::Bucket"], ["AWS::S3::Bucket"]),
    ("exclusion-case-insensitive", f.exclusion(["aws::s3::bucket"]), ["AWS::S3::Bucket"], ["AWS::S3::Bucket"]),
    ("exclusion-without-strategy", {"allSupported": False, "exclusionByResourceTypes": {"resourceTypes": ["AWS::KMS::Key"]}},
     ["AWS::KMS::Key"], ["AWS::KMS::Key"]),
]


@pytest.mark.parametrize("group,missing_home,missing_linked", [x[1:] for x in STRATEGY_CASES], ids=[x[0] for x in STRATEGY_CASES])
@pytest.mark.parametrize("where", ["home", "standalone", "linked"])
def test_recording_strategies(group, missing_home, missing_linked, where):
    region = f.OTHER if where == "linked" else f.HOME
    acct = f.account(None if where == "standalone" else f.aggregator())
    res = verdict.evaluate_region(f.state(region=region, rec=f.recorder(group, region=region)), acct)
    assert res["region_role"] == where
    expected = missing_linked if where == "linked" else missing_home
    assert res["missing_resource_types"] == expected
    assert codes(res) == ([MISSING] if expected else [])
    if expected:
        assert res["reasons"][0]["description"] == missing_text(expected)


@pytest.mark.parametrize("spelling", ["AWS::WorkSpaces::WorkSpace", "AWS::WorkSpaces::Workspace", "aws::workspaces::workspace"])
def test_workspaces_spelling_is_case_insensitive(spelling):
    sh = f.security_hub(["WorkSpaces.1"])
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion([spelling])), sh=sh), f.account())
    assert res["required_resource_types"] == ["AWS::WorkSpaces::Workspace"]
    assert res["status"] == c.PASSED


def test_workspaces_missing_reports_api_spelling():
    sh = f.security_hub(["WorkSpaces.1"])
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), sh=sh), f.account())
    assert res["missing_resource_types"] == ["AWS::WorkSpaces::Workspace"]


def test_recording_frequency_does_not_matter():
    rec = f.recorder(recording_mode=f.mode(c.DAILY, [{"resourceTypes": ["AWS::S3::Bucket"], "recordingFrequency": c.DAILY}]))
    assert verdict.evaluate_region(f.state(rec=rec), f.account())["status"] == c.PASSED


# --- Security Hub (v2) service-linked recorder -----------------------------------------------------
@pytest.mark.parametrize("rec,recording", [
    (None, False),
    (f.recorder(f.inclusion([]), role=f.CUSTOM_ROLE), False),
    (f.recorder(f.inclusion([]), role=f.CUSTOM_ROLE), True),
])
@pytest.mark.parametrize("by_name,by_principal", [(True, True), (True, False), (False, True)])
def test_security_hub_recorder_passes(rec, recording, by_name, by_principal):
    slr = f.sh_recorder_summary(by_name=by_name, by_principal=by_principal)
    res = verdict.evaluate_region(f.state(rec=rec, recording=recording, slrs=[slr], chan=None), f.account())
    assert res["status"] == c.PASSED
    assert res["reasons"] == []
    assert any(c.SECURITY_HUB_RECORDER_NAME in w for w in res["warnings"])
    assert res["service_linked_recorders"] == [slr]


def test_other_service_linked_recorder_does_not_pass():
    other = {"arn": "arn:aws:config:us-east-1:123456789012:configuration-recorder/AWSConfigurationRecorderForObservability/x",
             "name": "AWSConfigurationRecorderForObservability", "servicePrincipal": "observabilityadmin.amazonaws.com",
             "recordingScope": "INTERNAL"}
    res = verdict.evaluate_region(f.state(rec=None, slrs=[other]), f.account())
    assert codes(res) == [DISABLED]


# --- NOT_AVAILABLE ------------------------------------------------------------------------------
@pytest.mark.parametrize("aws_code,own_code", [
    ("AccessDeniedException", c.NA_ACCESS_DENIED),
    ("ThrottlingException", c.NA_THROTTLED),
    ("UnrecognizedClientException", c.NA_REGION_NOT_ENABLED),
    ("EndpointConnectionError", c.NA_ENDPOINT_UNREACHABLE),
    ("InternalFailure", c.NA_API_ERROR),
])
def test_config_errors_are_not_available(aws_code, own_code):
    assert c.classify_error(aws_code) == own_code
    err = f.error(code=own_code, aws_code=aws_code)
    # the controls option does not rescue an unreadable AWS Config, nor does a SH recorder
    st = f.state(errors=[err], slrs=[f.sh_recorder_summary()])
    res = verdict.evaluate_region(st, f.account(), {"controls": ["S3.5"]})
    assert res["status"] == c.NOT_AVAILABLE
    assert codes(res) == [own_code]
    assert own_code.startswith(c.OWN_PREFIX)
    desc = res["reasons"][0]["description"]
    assert c.NA_HINTS[own_code] in desc
    assert "config:DescribeConfigurationRecorders" in desc and aws_code in desc


def test_every_config_error_is_reported():
    errs = [f.error(), f.error(code=c.NA_THROTTLED, aws_code="Throttling", operation="config:DescribeDeliveryChannels")]
    res = verdict.evaluate_region(f.state(errors=errs), f.account())
    assert codes(res) == [c.NA_ACCESS_DENIED, c.NA_THROTTLED]


def test_error_without_aws_code_uses_message():
    err = {"code": c.NA_API_ERROR, "aws_code": None, "message": "boom", "operation": None}
    res = verdict.evaluate_region(f.state(errors=[err]), f.account())
    assert res["reasons"][0]["description"] == "%s (AWS: boom)" % c.NA_HINTS[c.NA_API_ERROR]


@pytest.mark.parametrize("enabled", [False, None])
def test_security_hub_not_enabled(enabled):
    sh = f.security_hub(enabled=False)
    sh["enabled"] = enabled
    res = verdict.evaluate_region(f.state(sh=sh), f.account())
    assert res["status"] == c.NOT_AVAILABLE
    assert res["reasons"] == [{"code": c.NA_SECURITY_HUB_NOT_ENABLED, "description": c.NA_HINTS[c.NA_SECURITY_HUB_NOT_ENABLED]}]


def test_security_hub_error_without_controls_option():
    err = f.error(code=c.NA_ACCESS_DENIED, aws_code="AccessDeniedException", operation="securityhub:BatchGetSecurityControls")
    res = verdict.evaluate_region(f.state(sh=f.security_hub(error=err)), f.account())
    assert res["status"] == c.NOT_AVAILABLE
    assert codes(res) == [c.NA_ACCESS_DENIED]
    assert "securityhub:BatchGetSecurityControls" in res["reasons"][0]["description"]


@pytest.mark.parametrize("sh", [
    f.security_hub(error=f.error(operation="securityhub:BatchGetSecurityControls")),
    f.security_hub(enabled=False),
])
def test_controls_option_evaluates_without_security_hub(sh):
    opts = {"controls": [f.S3_CONTROL]}
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion(["AWS::KMS::Key"])), sh=sh), f.account(), opts)
    assert res["status"] == c.FAILED
    assert res["missing_resource_types"] == ["AWS::S3::Bucket"]
    assert res["security_hub"]["controls_source"] == "option"
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), sh=sh), f.account(), opts)
    assert res["status"] == c.PASSED


# --- enabled controls: discovery vs option -------------------------------------------------------
def test_discovery_uses_enabled_controls_only():
    sh = f.security_hub([f.S3_CONTROL], disabled=[f.KMS_CONTROL] + f.IAM_CONTROLS)
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), sh=sh), f.account())
    assert res["status"] == c.PASSED
    assert res["required_resource_types"] == ["AWS::S3::Bucket"]
    assert res["security_hub"]["controls_source"] == "security_hub"
    assert res["security_hub"]["enabled_controls"] == ["Config.1", "S3.5"]
    assert res["security_hub"]["enabled"] is True


def test_controls_option_overrides_discovery():
    sh = f.security_hub(f.ALL_CONTROLS)  # discovery would require S3, KMS and IAM types
    rec = f.recorder(f.inclusion(["AWS::KMS::Key"]))
    res = verdict.evaluate_region(f.state(rec=rec, sh=sh), f.account(), {"controls": [f.KMS_CONTROL]})
    assert res["status"] == c.PASSED
    assert res["required_resource_types"] == ["AWS::KMS::Key"]
    assert res["security_hub"]["enabled_controls"] == [f.KMS_CONTROL]
    assert res["security_hub"]["controls_source"] == "option"
    # an empty list is a real answer ("no controls"), not "ask Security Hub"
    res = verdict.evaluate_region(f.state(rec=rec, sh=sh), f.account(), {"controls": []})
    assert res["required_resource_types"] == [] and res["status"] == c.PASSED
    assert res["security_hub"]["controls_source"] == "option"


def test_unknown_controls_warning():
    opts = {"controls": [f.S3_CONTROL, "Foo.1", "Bar.9", "Foo.1"]}
    res = verdict.evaluate_region(f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"]))), f.account(), opts)
    assert res["security_hub"]["unknown_controls"] == ["Foo.1", "Bar.9"]
    assert res["status"] == c.PASSED
    # The module warns once (base.check_common); the verdict only lists them, no per-Region repeat.
    warnings = [w for w in res["warnings"] if "control table" in w]
    assert warnings == []


def test_config1_itself_is_not_an_unknown_control():
    # Config.1 needs no recording and is always among the discovered controls; it must not
    # produce an "unknown control" warning on every run (nor via the option, like base.check_common).
    res = verdict.evaluate_region(f.state(), f.account())
    assert "Config.1" in res["security_hub"]["enabled_controls"]
    assert res["security_hub"]["unknown_controls"] == []
    assert not [w for w in res["warnings"] if "control table" in w]
    res = verdict.evaluate_region(f.state(), f.account(), {"controls": ["Config.1", f.S3_CONTROL]})
    assert res["security_hub"]["unknown_controls"] == []
    assert verdict.split_controls(["Config.1", "S3.5", "X.1", "S3.5"]) == (["Config.1", "S3.5"], ["X.1"])


# --- recorder view ------------------------------------------------------------------------------
@pytest.mark.parametrize("name,managed_by", [
    ("default", "customer"),
    ("my-recorder", "customer"),
    (f.CT_RECORDER, "control_tower"),
    ("AWSConfigurationRecorderForSomething", "service_linked"),
])
def test_recorder_managed_by(name, managed_by):
    res = verdict.evaluate_region(f.state(rec=f.recorder(name=name)), f.account())
    assert res["recorder"]["managed_by"] == managed_by
    assert res["recorder"]["name"] == name


def test_control_tower_recorder_is_judged_like_any_other():
    rec = f.recorder(f.all_supported(False), role=f.CT_ROLE, name=f.CT_RECORDER)
    res = verdict.evaluate_region(f.state(rec=rec), f.account())
    assert res["recorder"]["managed_by"] == "control_tower"
    assert codes(res) == [MISSING, CUSTOM]


def test_recorder_view_fills_defaults():
    rec = f.recorder(f.all_supported(True, legacy=True))
    rec["recordingMode"] = None
    st = f.state(rec=rec)
    st["recorder_status"]["lastErrorCode"] = "NoSuchBucket"
    view = verdict.evaluate_region(st, f.account())["recorder"]
    assert view["recording_group"] == f.all_supported(True)
    assert view["recording_mode"] == {"recordingFrequency": c.CONTINUOUS, "recordingModeOverrides": []}
    assert view["recording"] is True and view["last_status"] == "Success" and view["last_error_code"] == "NoSuchBucket"
    assert view["role_arn"] == f.SLR and view["arn"] == rec["arn"]


def test_delivery_channel_view():
    res = verdict.evaluate_region(f.state(), f.account())
    assert res["delivery_channel"] == {
        "name": "default", "s3BucketName": f.BUCKET, "s3KeyPrefix": None, "s3KmsKeyArn": None, "snsTopicARN": None,
        "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"},
    }
    assert res["delivery_status"] == {"name": "default"}
    assert verdict.evaluate_region(f.state(chan=None), f.account())["delivery_channel"] is None


# --- finding view and agreement -----------------------------------------------------------------
AGREE_CASES = [
    # id, state kwargs, finding, agrees
    ("both-passed", {}, f.finding("PASSED"), True),
    ("both-failed-same-codes", {"rec": f.recorder(f.all_supported(False), role=f.CUSTOM_ROLE)},
     f.finding("FAILED", [CUSTOM, MISSING]), True),  # order does not matter
    ("both-failed-live-order", {"rec": f.recorder(f.all_supported(False), role=f.CUSTOM_ROLE)},
     f.finding("FAILED", [MISSING, CUSTOM]), True),
    ("failed-different-codes", {"rec": f.recorder(f.all_supported(False), role=f.CUSTOM_ROLE)},
     f.finding("FAILED", [MISSING]), False),
    ("sh-passed-we-fail", {"rec": None}, f.finding("PASSED"), False),
    ("sh-failed-we-pass", {}, f.finding("FAILED", [DISABLED]), False),
    ("sh-not-available", {}, f.finding("NOT_AVAILABLE"), None),
    ("sh-warning", {}, f.finding("WARNING"), None),
    ("we-not-available", {"errors": [f.error()]}, f.finding("FAILED", [DISABLED]), None),
]


@pytest.mark.parametrize("kwargs,finding,agrees", [x[1:] for x in AGREE_CASES], ids=[x[0] for x in AGREE_CASES])
def test_finding_agrees(kwargs, finding, agrees):
    res = verdict.evaluate_region(f.state(finding=finding, **kwargs), f.account())
    assert res["finding"]["agrees"] is agrees
    assert res["finding"]["id"] == "f-1"
    assert res["finding"]["compliance_status"] == finding["Compliance"]["Status"]


def test_finding_view():
    fnd = f.finding("FAILED", [MISSING])
    view = verdict.finding_view(fnd)
    assert view == {
        "id": "f-1", "compliance_status": "FAILED",
        "reasons": [{"code": MISSING, "description": "text of %s" % MISSING}],
        "workflow_status": "NEW", "record_state": "ACTIVE", "updated_at": "2025-01-01T00:00:00Z",
    }
    assert verdict.finding_view(None) is None
    assert verdict.finding_view({"Id": "x"})["reasons"] == []
    assert verdict.evaluate_region(f.state(), f.account())["finding"] is None


# --- IAM-unrecordable Regions ---------------------------------------------------------------------
@pytest.mark.parametrize("region", sorted(c.IAM_GLOBAL_UNRECORDABLE_REGIONS))
def test_iam_unrecordable_region_warns_when_iam_counts(region):
    st = f.state(region=region, rec=f.recorder(f.all_supported(True), region=region))
    res = verdict.evaluate_region(st, f.account())
    assert res["region_role"] == "standalone"
    warnings = [w for w in res["warnings"] if "cannot record IAM global types" in w]
    assert len(warnings) == 1 and region in warnings[0] and "standalone" in warnings[0]


@pytest.mark.parametrize("case", ["linked", "home", "no-iam-controls", "recordable-region"])
def test_iam_unrecordable_warning_only_where_it_applies(case):
    region, agg, sh = "ca-west-1", None, None
    if case == "linked":
        agg = f.aggregator(home=f.HOME)
    elif case == "home":
        agg = f.aggregator(home=region)
    elif case == "no-iam-controls":
        sh = f.security_hub(f.REGIONAL_CONTROLS)
    else:
        region = f.HOME
    res = verdict.evaluate_region(f.state(region=region, sh=sh), f.account(agg))
    warned = any("cannot record IAM global types" in w for w in res["warnings"])
    assert warned is (case == "home")


# --- evaluate_all, summarize, account_facts -------------------------------------------------------
def test_summarize_counts():
    regions = {
        "a": {"status": c.PASSED}, "b": {"status": c.PASSED}, "c": {"status": c.FAILED},
        "d": {"status": c.NOT_AVAILABLE}, "e": {"status": None},
    }
    assert verdict.summarize(regions) == {"passed": 2, "failed": 1, "not_available": 2}
    assert verdict.summarize({}) == {"passed": 0, "failed": 0, "not_available": 0}


def test_evaluate_all_and_account_facts():
    acct = f.account(f.aggregator(), warnings=["account warning"])
    states = {
        f.HOME: f.state(region=f.HOME, warnings=["gather warning"]),
        f.OTHER: f.state(region=f.OTHER, rec=None),
        f.THIRD: {"exception": RuntimeError("kaput"), "calls": 2},
    }
    results = verdict.evaluate_all(acct, states, {"controls": None, "home_region": None})
    assert results[f.HOME]["status"] == c.PASSED
    assert results[f.HOME]["warnings"][0] == "gather warning"
    assert results[f.OTHER]["status"] == c.FAILED and results[f.OTHER]["region_role"] == "linked"
    assert results[f.THIRD]["status"] == c.NOT_AVAILABLE
    assert codes(results[f.THIRD]) == [c.NA_API_ERROR]
    assert "RuntimeError" in results[f.THIRD]["reasons"][0]["description"]

    facts = verdict.account_facts(acct, results, states, clients_created=4)
    assert facts["summary"] == {"passed": 1, "failed": 1, "not_available": 1}
    assert facts["account_id"] == f.ACCOUNT_ID and facts["partition"] == "aws"
    assert facts["aggregator"]["home_region"] == f.HOME
    assert facts["service_linked_role"] == {"exists": True, "arn": f.SLR}
    assert facts["warnings"][0] == "account warning"
    assert "%s: gather warning" % f.HOME in facts["warnings"]
    assert facts["api_calls"] == {"account": 3, "regions": {f.HOME: 7, f.OTHER: 7, f.THIRD: 2}, "total": 19,
                                  "clients_created": 4}
    assert "clients_created" not in verdict.account_facts(acct, results, states)["api_calls"]


def test_evaluate_region_does_not_mutate_its_input():
    st = f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), finding=f.finding("FAILED", [MISSING]))
    before = copy.deepcopy(st)
    verdict.evaluate_region(st, f.account(f.aggregator()), {"controls": ["S3.5"]})
    assert st == before
