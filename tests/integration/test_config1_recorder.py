"""config1_recorder and config1_control through Ansible against the emulator: a fleet of faulty
Regions becomes PASSED, check mode changes nothing, the second run changes nothing, bad input
fails before any change, a failure midway is reported per Region."""
import pytest

from tests.harness import seed
from tests.integration.runner import run_module

ACCOUNT = "222222222222"
CONTROLS = ["S3.5", "EC2.2", "IAM.1", "IAM.2", "Config.1"]
CHANNEL = {"s3_bucket": "org-config-222"}


def describe_all(emulator, regions):
    s = emulator.session(ACCOUNT)
    out = {}
    for r in regions:
        cfg = s.client("config", region_name=r)
        out[r] = (cfg.describe_configuration_recorders()["ConfigurationRecorders"],
                  [{k: v for k, v in st.items() if k in ("name", "recording")}
                   for st in cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]],
                  cfg.describe_delivery_channels()["DeliveryChannels"])
    out["roles"] = sorted(r["RoleName"] for r in s.client("iam").list_roles()["Roles"])
    return out


@pytest.fixture
def fleet(emulator):
    """One account, six Regions, each a different fault; no service-linked role yet."""
    s = emulator.session(ACCOUNT)
    s.client("s3", region_name="us-east-1").create_bucket(Bucket=CHANNEL["s3_bucket"])
    custom = s.client("iam").create_role(RoleName="MyConfigRole", AssumeRolePolicyDocument="{}")["Role"]["Arn"]

    def cfg(region):
        return s.client("config", region_name=region)

    for r in ("us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-northeast-1", "ca-central-1"):
        seed.enable_security_hub(s, r, controls=CONTROLS)
    seed.create_finding_aggregator(s, "us-east-1", linked_regions=["eu-west-1", "ap-northeast-1"])
    # us-east-1 (home): no recorder at all.
    # eu-west-1 (linked): stopped recorder with a custom role, DAILY mode and an extra type to keep.
    cfg("eu-west-1").put_configuration_recorder(ConfigurationRecorder={
        "name": "corp", "roleARN": custom,
        "recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::Lambda::Function", "AWS::S3::Bucket"],
                           "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}},
        "recordingMode": {"recordingFrequency": "DAILY"}})
    cfg("eu-west-1").put_delivery_channel(DeliveryChannel={"name": "corp", "s3BucketName": CHANNEL["s3_bucket"], "s3KeyPrefix": "keep"})
    # eu-central-1 (standalone): exclusion list that excludes a required type, recording.
    cfg("eu-central-1").put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": custom,
        "recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": False,
                           "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::SecurityGroup", "AWS::Lambda::Function"]},
                           "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"}}})
    cfg("eu-central-1").put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": CHANNEL["s3_bucket"]})
    cfg("eu-central-1").start_configuration_recorder(ConfigurationRecorderName="default")
    # us-west-2 (standalone): all supported without global types, recording.
    cfg("us-west-2").put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": custom, "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}})
    cfg("us-west-2").put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": CHANNEL["s3_bucket"]})
    cfg("us-west-2").start_configuration_recorder(ConfigurationRecorderName="default")
    # ap-northeast-1 (linked): Control Tower's recorder, stopped: left alone.
    cfg("ap-northeast-1").put_configuration_recorder(ConfigurationRecorder={
        "name": "aws-controltower-BaselineConfigRecorder", "roleARN": custom,
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}})
    # ca-central-1: Security Hub v2's recorder: nothing to do.
    seed.put_sh_service_linked_recorder(s, "ca-central-1")
    s.client("iam").delete_role(RoleName="AWSServiceRoleForConfig")  # the SH recorder created it; start without
    emulator.reset_calls()
    return ["us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-northeast-1", "ca-central-1"]


def test_check_mode_then_fix_then_idempotent(emulator, fleet):
    args = {"regions": fleet, "delivery_channel": CHANNEL}
    before = describe_all(emulator, fleet[:-1])
    emulator.reset_calls()

    # 1. --check --diff: reports changes and the diff, makes zero mutating calls, changes nothing.
    check, proc = run_module(emulator, "config1_recorder", args, account=ACCOUNT, check=True, diff=True)
    assert not check.get("failed"), check.get("msg")
    assert check["changed"] is True
    assert emulator.calls(mutating=True) == []
    assert describe_all(emulator, fleet[:-1]) == before
    regions = check["regions"]
    assert check["account_actions"] == ["iam:CreateServiceLinkedRole"]
    assert [a["action"] for a in regions["us-east-1"]["actions"]] == [
        "config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:StartConfigurationRecorder"]
    assert regions["us-east-1"]["predicted_status"] == "PASSED"
    assert regions["ap-northeast-1"]["skipped"].startswith("recorder aws-controltower-BaselineConfigRecorder belongs to AWS Control Tower")
    assert regions["ca-central-1"]["skipped"] and regions["ca-central-1"]["status"] == "PASSED"
    assert set(check["diff"]["before"]) == {"us-east-1", "eu-west-1", "eu-central-1", "us-west-2"}
    assert "us-east-1" in proc.stdout and "PutConfigurationRecorder" in proc.stdout

    # 2. Real run: every faulty Region but the Control Tower one becomes PASSED (read back).
    fix, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT)
    assert not fix.get("failed"), fix.get("msg")
    for r in ("us-east-1", "eu-west-1", "eu-central-1", "us-west-2"):
        assert fix["regions"][r]["verified"] is True and fix["regions"][r]["status"] == "PASSED", (r, fix["regions"][r]["reasons"])
    mutating = emulator.calls(mutating=True)
    assert fix["api_calls"]["mutating"] == len(mutating)
    per_region = {r: [c.operation for c in mutating if c.region == r and c.service == "config"] for r in fleet}
    assert per_region["us-east-1"] == ["PutConfigurationRecorder", "PutDeliveryChannel", "StartConfigurationRecorder"]
    assert per_region["eu-west-1"] == ["PutConfigurationRecorder", "StartConfigurationRecorder"]
    assert per_region["eu-central-1"] == ["PutConfigurationRecorder"]
    assert per_region["us-west-2"] == ["PutConfigurationRecorder"]
    assert per_region["ap-northeast-1"] == [] and per_region["ca-central-1"] == []
    assert [c.operation for c in mutating if c.service == "iam"] == ["CreateServiceLinkedRole"]

    # preserve kept what the user set: extra type, DAILY mode, channel prefix, recorder names.
    s = emulator.session(ACCOUNT)
    euw1 = s.client("config", region_name="eu-west-1").describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert euw1["name"] == "corp" and "AWS::Lambda::Function" in euw1["recordingGroup"]["resourceTypes"]
    assert "AWS::EC2::SecurityGroup" in euw1["recordingGroup"]["resourceTypes"]
    assert "AWS::IAM::User" not in euw1["recordingGroup"]["resourceTypes"]  # linked Region: no IAM globals
    assert euw1["recordingMode"]["recordingFrequency"] == "DAILY"
    assert euw1["roleARN"].endswith(":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")
    assert s.client("config", region_name="eu-west-1").describe_delivery_channels()["DeliveryChannels"][0]["s3KeyPrefix"] == "keep"
    euc1 = s.client("config", region_name="eu-central-1").describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert euc1["recordingGroup"]["exclusionByResourceTypes"]["resourceTypes"] == ["AWS::Lambda::Function"]
    usw2 = s.client("config", region_name="us-west-2").describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert usw2["recordingGroup"]["allSupported"] is True and usw2["recordingGroup"]["includeGlobalResourceTypes"] is True
    ct = s.client("config", region_name="ap-northeast-1").describe_configuration_recorders()["ConfigurationRecorders"][0]
    assert ct["roleARN"].endswith("role/MyConfigRole")  # untouched

    # 3. config1_facts agrees: PASSED everywhere but the Control Tower Region.
    facts, _ignored = run_module(emulator, "config1_facts", {"regions": fleet}, account=ACCOUNT)
    statuses = {r: v["status"] for r, v in facts["ansible_facts"]["config1"]["regions"].items()}
    assert statuses == {r: ("FAILED" if r == "ap-northeast-1" else "PASSED") for r in fleet}

    # 4. Second real run (and its check mode): changed false, zero mutating calls.
    emulator.reset_calls()
    again, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT)
    assert again["changed"] is False and not again.get("failed")
    again_check, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT, check=True, diff=True)
    assert again_check["changed"] is False and "diff" not in again_check or not again_check["diff"]["before"]
    assert emulator.calls(mutating=True) == []


def test_compliant_account_only_reads(emulator):
    s = emulator.session(ACCOUNT)
    seed.enable_security_hub(s, "eu-west-1", controls=CONTROLS)
    seed.put_recorder(s, "eu-west-1", recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                      start=True, channel_bucket="ok-bucket-222")
    emulator.reset_calls()
    result, _ignored = run_module(emulator, "config1_recorder", {"regions": ["eu-west-1"], "resource_types": "required"}, account=ACCOUNT)
    # required mode on an all-supported recorder narrows it: a change. preserve does nothing.
    assert result["changed"] is True
    emulator.reset_calls()
    for mode in ("preserve", "required"):
        result, _ignored = run_module(emulator, "config1_recorder", {"regions": ["eu-west-1"], "resource_types": mode}, account=ACCOUNT)
        assert result["changed"] is False, mode
    assert emulator.calls(mutating=True) == []
    assert result["regions"]["eu-west-1"]["status"] == "PASSED"


@pytest.mark.parametrize("args, message", [
    ({"role": "arn:aws:iam::role/oops"}, "role: 'arn:aws:iam::role/oops' is neither 'service_linked' nor an IAM role ARN"),
    ({"role": "arn:aws:iam::999999999999:role/Other"}, "belongs to account 999999999999"),
    ({"recording_mode_overrides": [{"resource_types": ["AWS::Config::ResourceCompliance"], "recording_frequency": "DAILY"}]},
     "recording_mode_overrides: AWS Config does not allow DAILY recording for AWS::Config::ResourceCompliance"),
    ({"recording_frequency": "DAILY", "extra_resource_types": ["AWS::Config::ConfigurationRecorder"]}, "recording_frequency: AWS Config does not allow DAILY"),
    ({"delivery_channel": {"s3_bucket": "Bad_Bucket"}}, "delivery_channel.s3_bucket: 'Bad_Bucket' is not a valid S3 bucket name"),
    ({}, "has no AWS Config delivery channel and one is needed to start recording: set delivery_channel.s3_bucket"),
    ({"regions": ["us-east-1", "moon-1"]}, "Unknown Region(s): moon-1"),
    ({"extra_resource_types": ["S3 bucket"]}, "malformed resource type(s) 'S3 bucket'"),
])
def test_bad_input_fails_before_any_change(emulator, args, message):
    s = emulator.session(ACCOUNT)
    seed.enable_security_hub(s, "us-east-1", controls=CONTROLS)
    emulator.reset_calls()
    result, _ignored = run_module(emulator, "config1_recorder", dict({"regions": ["us-east-1"]}, **args), account=ACCOUNT)
    assert result.get("failed") and message in result["msg"], result.get("msg")
    assert emulator.calls(mutating=True) == []


def test_failure_midway_reported_per_region(emulator, fleet):
    emulator.inject_fault("config", "StartConfigurationRecorder", region="us-east-1",
                          code="InsufficientPermissionsException", message="nope", status=400)
    result, _ignored = run_module(emulator, "config1_recorder", {"regions": fleet[:3], "delivery_channel": CHANNEL}, account=ACCOUNT)
    assert result["failed"] and "us-east-1" in result["msg"]
    use1 = result["regions"]["us-east-1"]
    assert [(a["action"], a["result"]) for a in use1["actions"]] == [
        ("config:PutConfigurationRecorder", "done"), ("config:PutDeliveryChannel", "done"),
        ("config:StartConfigurationRecorder", "failed")]
    assert use1["failed"]["aws_code"] == "InsufficientPermissionsException"
    # The other Regions were fixed all the same.
    assert result["regions"]["eu-west-1"]["status"] == "PASSED" and result["regions"]["eu-central-1"]["status"] == "PASSED"


def test_unavailable_region_reported_not_failing_others(emulator, fleet):
    emulator.inject_fault(None, region="eu-west-1", code="UnrecognizedClientException",
                          message="The security token included in the request is invalid", status=403)
    args = {"regions": fleet[:3], "delivery_channel": CHANNEL, "fail_on_unavailable": False}
    result, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT)
    assert not result.get("failed")
    assert result["regions"]["eu-west-1"]["skipped"].startswith("cannot be evaluated: SECOPS_REGION_NOT_ENABLED")
    assert result["regions"]["us-east-1"]["status"] == "PASSED"
    strict, _ignored = run_module(emulator, "config1_recorder", dict(args, fail_on_unavailable=True), account=ACCOUNT)
    assert strict["failed"] and "Could not evaluate eu-west-1" in strict["msg"]


def test_config1_control_role_check_and_controls(emulator):
    s = emulator.session(ACCOUNT)
    for r in ("us-east-1", "eu-west-1"):
        seed.enable_security_hub(s, r, controls=CONTROLS)
    emulator.reset_calls()
    args = {"regions": ["us-east-1", "eu-west-1"], "role_check": "disabled", "disabled_controls": ["IAM.1"],
            "reason": "Custom role kept"}
    check, _ignored = run_module(emulator, "config1_control", args, account=ACCOUNT, check=True, diff=True)
    assert check["changed"] is True and emulator.calls(mutating=True) == []
    assert check["diff"]["after"]["eu-west-1"]["role_check"] == {"ValueType": "CUSTOM", "Value": {"Boolean": False}}
    done, _ignored = run_module(emulator, "config1_control", args, account=ACCOUNT)
    assert done["changed"] is True and not done.get("failed")
    ops = sorted(c.operation for c in emulator.calls(mutating=True))
    assert ops == ["BatchUpdateStandardsControlAssociations"] * 2 + ["UpdateSecurityControl"] * 2
    facts, _ignored = run_module(emulator, "config1_facts", {"regions": ["eu-west-1"]}, account=ACCOUNT)
    sh = facts["ansible_facts"]["config1"]["regions"]["eu-west-1"]["security_hub"]
    assert sh["role_check"] is False and "IAM.1" not in sh["enabled_controls"]
    emulator.reset_calls()
    again, _ignored = run_module(emulator, "config1_control", args, account=ACCOUNT)
    assert again["changed"] is False and emulator.calls(mutating=True) == []
    bad, _ignored = run_module(emulator, "config1_control", dict(args, disabled_controls=["IAM-1"]), account=ACCOUNT)
    assert bad["failed"] and "malformed control ID(s) 'IAM-1'" in bad["msg"]


def test_expected_account_guard_and_verdicts(emulator, fleet):
    # Credentials of another account: fails right after GetCallerIdentity, nothing read or changed.
    emulator.reset_calls()
    wrong_args = {"regions": fleet[:2], "delivery_channel": CHANNEL, "expected_account_id": "999999999999"}
    wrong, _ignored = run_module(emulator, "config1_recorder", wrong_args, account=ACCOUNT)
    assert wrong["failed"] and "not the expected account 999999999999" in wrong["msg"]
    assert [c.operation for c in emulator.calls()] == ["GetCallerIdentity"]
    ctl_args = {"regions": ["us-east-1"], "role_check": "disabled", "expected_account_id": "999999999999"}
    ctl, _ignored = run_module(emulator, "config1_control", ctl_args, account=ACCOUNT)
    assert ctl["failed"] and "not the expected account" in ctl["msg"]
    assert emulator.calls(mutating=True) == []
    bad, _ignored = run_module(emulator, "config1_facts", {"regions": ["us-east-1"], "expected_account_id": "12345"}, account=ACCOUNT)
    assert bad["failed"] and "expected_account_id: '12345' is not a 12-digit AWS account ID" in bad["msg"]

    # The recorder returns each Region's state in config1_facts' shape: current in check mode,
    # read back after a real run; the same as a separate config1_facts run would say.
    args = {"regions": fleet, "delivery_channel": CHANNEL, "expected_account_id": ACCOUNT}
    check, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT, check=True)
    facts, _ignored = run_module(emulator, "config1_facts", {"regions": fleet}, account=ACCOUNT)
    before = facts["ansible_facts"]["config1"]["regions"]
    for r in fleet:
        got = check["regions"][r]["verdict"]
        assert (got["status"], got["reasons"], got["missing_resource_types"]) == \
            (before[r]["status"], before[r]["reasons"], before[r]["missing_resource_types"]), r
    assert check["verdict_summary"] == facts["ansible_facts"]["config1"]["summary"]
    assert check["account"]["account_id"] == ACCOUNT
    fix, _ignored = run_module(emulator, "config1_recorder", args, account=ACCOUNT)
    facts, _ignored = run_module(emulator, "config1_facts", {"regions": fleet}, account=ACCOUNT)
    after = facts["ansible_facts"]["config1"]["regions"]
    for r in fleet:
        got = fix["regions"][r]["verdict"]
        assert (got["status"], got["reasons"], got["recorder"]) == (after[r]["status"], after[r]["reasons"], after[r]["recorder"]), r
    assert fix["verdict_summary"] == {"passed": 5, "failed": 1, "not_available": 0}
