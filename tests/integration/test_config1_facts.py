"""config1_facts through Ansible against the emulator: one account, several Regions, each with a
different Config.1 fault; verdicts, reason codes, missing types, and that it only reads."""
import pytest

from tests.harness import seed
from tests.integration.runner import run_module

ACCOUNT = "111111111111"
FEW = ["S3.5", "EC2.2", "IAM.1", "IAM.2", "Config.1"]  # IAM.1/2 need IAM globals, S3/EC2 regional types


@pytest.fixture
def faulty_account(emulator):
    s = emulator.session(ACCOUNT)
    custom = seed.create_custom_role(s)
    regions = {}
    # us-east-1: home Region of the aggregator; recorder records everything but IAM globals.
    seed.enable_security_hub(s, "us-east-1", controls=FEW)
    seed.create_finding_aggregator(s, "us-east-1", linked_regions=["eu-west-1"])
    seed.put_recorder(s, "us-east-1", recording_group={"allSupported": True, "includeGlobalResourceTypes": False},
                      start=True, channel_bucket="logs-111-use1")
    regions["us-east-1"] = ("FAILED", ["CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES"])
    # eu-west-1: linked Region, same recorder passes (IAM globals not required there).
    seed.enable_security_hub(s, "eu-west-1", controls=FEW)
    seed.put_recorder(s, "eu-west-1", recording_group={"allSupported": True, "includeGlobalResourceTypes": False},
                      start=True, channel_bucket="logs-111-euw1")
    regions["eu-west-1"] = ("PASSED", [])
    # eu-central-1: standalone, no recorder at all.
    seed.enable_security_hub(s, "eu-central-1", controls=FEW)
    regions["eu-central-1"] = ("FAILED", ["CONFIG_RECORDER_DISABLED"])
    # us-west-2: custom role + an inclusion list missing EC2 types.
    seed.enable_security_hub(s, "us-west-2", controls=FEW)
    seed.put_recorder(s, "us-west-2", role_arn=custom, start=True, channel_bucket="logs-111-usw2",
                      recording_group={"allSupported": False, "resourceTypes": ["AWS::S3::Bucket", "AWS::IAM::User",
                                       "AWS::IAM::Role", "AWS::IAM::Group", "AWS::IAM::Policy"],
                                       "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}})
    regions["us-west-2"] = ("FAILED", ["CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES", "CONFIG_RECORDER_CUSTOM_ROLE"])
    # ap-southeast-2: Security Hub not enabled -> cannot be evaluated.
    regions["ap-southeast-2"] = ("NOT_AVAILABLE", ["SECOPS_SECURITY_HUB_NOT_ENABLED"])
    # ca-central-1: recorder stopped, role check waived.
    seed.enable_security_hub(s, "ca-central-1", controls=FEW, config1_role_check=False)
    seed.put_recorder(s, "ca-central-1", role_arn=custom, recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                      channel_bucket="logs-111-cac1")
    regions["ca-central-1"] = ("FAILED", ["CONFIG_RECORDER_DISABLED"])
    # sa-east-1: Security Hub v2's service-linked recorder, no customer recorder -> PASSED.
    seed.enable_security_hub(s, "sa-east-1", controls=FEW)
    seed.put_sh_service_linked_recorder(s, "sa-east-1")
    regions["sa-east-1"] = ("PASSED", [])
    seed.put_config1_finding(s, "eu-central-1", "FAILED", reasons=["CONFIG_RECORDER_DISABLED"])
    emulator.reset_calls()
    return regions


def test_verdicts_reason_codes_and_read_only(emulator, faulty_account):
    result, proc = run_module(emulator, "config1_facts", {"regions": list(faulty_account)}, account=ACCOUNT)
    assert not result.get("failed"), proc.stdout[-2000:]
    facts = result["ansible_facts"]["config1"]
    assert set(result) - {"ansible_facts", "changed", "_ansible_no_log", "action", "invocation", "warnings",
                          "deprecations", "_ansible_verbose_always"} == set()
    assert facts["account_id"] == ACCOUNT
    assert facts["service_linked_role"]["exists"] is True
    assert facts["aggregator"]["home_region"] == "us-east-1"
    for region, (status, codes) in faulty_account.items():
        got = facts["regions"][region]
        assert got["status"] == status, (region, got["reasons"])
        assert [r["code"] for r in got["reasons"]] == codes, region
    use1 = facts["regions"]["us-east-1"]
    assert use1["region_role"] == "home"
    assert use1["missing_resource_types"] == ["AWS::IAM::Policy", "AWS::IAM::User"]
    assert use1["reasons"][0]["description"].endswith("Turn on recording for the following resources: AWS::IAM::Policy, AWS::IAM::User.")
    assert facts["regions"]["eu-west-1"]["region_role"] == "linked"
    assert "AWS::IAM::User" not in facts["regions"]["eu-west-1"]["required_resource_types"]
    usw2 = facts["regions"]["us-west-2"]
    assert usw2["region_role"] == "standalone"
    assert usw2["missing_resource_types"] == ["AWS::EC2::SecurityGroup"]
    assert usw2["recorder"]["uses_service_linked_role"] is False
    assert facts["regions"]["ca-central-1"]["security_hub"]["role_check"] is False
    assert facts["regions"]["sa-east-1"]["service_linked_recorders"][0]["name"] == "AWSConfigurationRecorderForSecurityHubCSPM"
    finding = facts["regions"]["eu-central-1"]["finding"]
    assert finding["compliance_status"] == "FAILED" and finding["agrees"] is True
    assert facts["summary"] == {"passed": 2, "failed": 4, "not_available": 1}
    # Only reads, and the calls counted by the module match the emulator's log.
    assert emulator.calls(mutating=True) == []
    assert facts["api_calls"]["total"] == len(emulator.calls(account=ACCOUNT))


def test_calls_per_region_and_clients_built_once(emulator, faulty_account):
    regions = list(faulty_account)
    result, _ignored = run_module(emulator, "config1_facts", {"regions": regions}, account=ACCOUNT)
    facts = result["ansible_facts"]["config1"]
    # Per Region: 5 Config reads (4 without a channel), 5 BatchGetSecurityControls pages of
    # <=100 controls, 1 GetFindings; per account: STS, IAM ListRoles, aggregator list + get.
    assert facts["api_calls"]["account"] == 4
    assert facts["api_calls"]["clients_created"] == 2 + 2 * len(regions)
    by_region = facts["api_calls"]["regions"]
    assert by_region["us-east-1"] == 11 and by_region["eu-central-1"] == 9
    assert max(by_region.values()) <= 11


def test_one_region_failure_never_hides_the_others(emulator, faulty_account):
    emulator.inject_fault("config", "DescribeConfigurationRecorders", region="eu-west-1",
                          code="AccessDeniedException", message="not allowed", status=400)
    emulator.inject_fault(None, region="ca-central-1", code="UnrecognizedClientException",
                          message="The security token included in the request is invalid", status=403)
    emulator.inject_fault("config", "DescribeDeliveryChannels", region="us-west-2",
                          code="ThrottlingException", message="Rate exceeded", status=400)
    result, _ignored = run_module(emulator, "config1_facts", {"regions": list(faulty_account), "retries": 1}, account=ACCOUNT)
    regions = result["ansible_facts"]["config1"]["regions"]
    assert [r["code"] for r in regions["eu-west-1"]["reasons"]] == ["SECOPS_ACCESS_DENIED"]
    assert [r["code"] for r in regions["ca-central-1"]["reasons"]] == ["SECOPS_REGION_NOT_ENABLED"]
    assert [r["code"] for r in regions["us-west-2"]["reasons"]] == ["SECOPS_THROTTLED"]
    assert all(regions[r]["status"] == "NOT_AVAILABLE" for r in ("eu-west-1", "ca-central-1", "us-west-2"))
    assert regions["us-east-1"]["status"] == "FAILED" and regions["sa-east-1"]["status"] == "PASSED"


def test_throttling_is_retried(emulator, faulty_account):
    emulator.inject_fault("config", "DescribeConfigurationRecorders", region="us-east-1",
                          code="ThrottlingException", message="Rate exceeded", status=400, times=2)
    result, _ignored = run_module(emulator, "config1_facts", {"regions": ["us-east-1"]}, account=ACCOUNT)
    assert result["ansible_facts"]["config1"]["regions"]["us-east-1"]["status"] == "FAILED"


def test_controls_option_and_home_region(emulator, faulty_account):
    args = {"regions": ["eu-west-1", "us-west-2"], "controls": ["S3.5", "Foo.7"], "home_region": "eu-west-1"}
    result, _ignored = run_module(emulator, "config1_facts", args, account=ACCOUNT)
    facts = result["ansible_facts"]["config1"]
    assert facts["regions"]["eu-west-1"]["required_resource_types"] == ["AWS::S3::Bucket"]
    assert facts["regions"]["eu-west-1"]["security_hub"]["controls_source"] == "option"
    assert facts["regions"]["us-west-2"]["region_role"] == "linked"
    assert facts["regions"]["us-west-2"]["security_hub"]["unknown_controls"] == ["Foo.7"]
    assert any("Foo.7" in w for w in result.get("warnings", []))
    # Only the role-check parameter is read from Security Hub when controls are given.
    assert len([c for c in emulator.calls(service="securityhub") if c.operation == "BatchGetSecurityControls"]) == 2


@pytest.mark.parametrize("args, message", [
    ({"regions": ["us-east-1", "mars-north-1"]}, "Unknown Region(s): mars-north-1"),
    ({"regions": ["us-east-1"], "controls": ["S3-1"]}, "Malformed control ID(s) in controls: 'S3-1'"),
    ({"regions": ["us-east-1"], "home_region": "eu-west-9"}, "Unknown Region(s): eu-west-9"),
])
def test_bad_input_fails_before_any_call(emulator, args, message):
    result, _ignored = run_module(emulator, "config1_facts", args)
    assert result["failed"] and message in result["msg"]
    assert emulator.calls() == []
