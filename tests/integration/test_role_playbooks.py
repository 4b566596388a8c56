# -*- coding: utf-8 -*-
"""Playbook-level tests of the role secops.config1.remediate and playbooks/remediate.yml against
the emulator: an organization of faulty accounts, audit (--check) changes nothing, remediation
fixes, a second run changes nothing, an account whose role cannot be assumed does not stop the
others, the reports parse and agree with config1_facts, and the role's argument specs reject a
bad variable.

One organization is seeded once and the runs build on each other (audit -> fix -> second run),
so the steps live in one test function; the argument-spec test is separate and cheap.
"""

from __future__ import absolute_import, division, print_function

import importlib.util
import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(ROOT, "playbooks", "remediate.yml")
SCHEMA = os.path.join(ROOT, "docs", "report.schema.json")

pytestmark = [pytest.mark.emulator, pytest.mark.playbook]

REGIONS = ["us-east-1", "eu-west-1"]
# The failing account's first Region differs, so that its sts:AssumeRole call (made with the
# management account's credentials, so logged under that account) can be singled out by Region.
FAILING_REGIONS = ["eu-west-1", "us-east-1"]
FAULTS = {
    "management": "compliant",
    "dev": "no_recorder",
    "staging": "stopped",
    "legacy": "custom_role",
    "data": "missing_types",
    "ct-managed": "control_tower",
    "locked": "no_recorder",  # its role cannot be assumed
}
EXPECTED_REASON = {
    "no_recorder": "CONFIG_RECORDER_DISABLED",
    "stopped": "CONFIG_RECORDER_DISABLED",
    "custom_role": "CONFIG_RECORDER_CUSTOM_ROLE",
    "missing_types": "CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES",
    "control_tower": "CONFIG_RECORDER_CUSTOM_ROLE",
}


def _demo():
    spec = importlib.util.spec_from_file_location("config1_demo", os.path.join(ROOT, "tools", "demo.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


demo = _demo()


def _bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


@pytest.fixture
def env(emulator, tmp_path):
    e = emulator.env()
    e.update({
        "ANSIBLE_COLLECTIONS_PATH": demo._ensure_collection_link(),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_FORKS": "8",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
    })
    return e


def write_static_inventory(path, org):
    """Host contract: one host per account, ansible_connection local."""
    hosts = {}
    for name, info in org.items():
        hv = {"aws_account_id": info["id"], "aws_account_name": name,
              "config1_regions": FAILING_REGIONS if name == "locked" else REGIONS}
        if info["id"] != demo.MGMT_ACCOUNT:
            hv["config1_assume_role"] = "OrganizationAccountAccessRole"
            hv["config1_external_id"] = "test-external-id"
            hv["config1_role_session_name"] = "config1-test"
        hosts["acct_%s_%s" % (info["id"], name.replace("-", "_"))] = hv
    inv = {"all": {"children": {"config1_accounts": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
        "hosts": hosts}}}}
    with open(path, "w") as f:
        json.dump(inv, f)
    return path


def run_play(env, inventory, extra, *args, playbook=PLAYBOOK):
    cmd = [_bin("ansible-playbook"), "-i", inventory, "-e", json.dumps(extra), playbook] + list(args)
    return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def recap(stdout):
    """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from the PLAY RECAP."""
    out = {}
    block = stdout.rsplit("PLAY RECAP", 1)[-1]
    for line in block.splitlines():
        m = re.match(r"^(\S+)\s+:\s+(.*)$", line.strip())
        if m:
            out[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return out


def describe(emulator, org):
    """Everything Config.1 depends on, per account and Region (for before == after)."""
    state = {}
    for name, info in org.items():
        for region in REGIONS:
            cfg = emulator.session(info["id"], region).client("config", region_name=region)
            iam = emulator.session(info["id"], region).client("iam")
            state[(name, region)] = {
                "recorders": cfg.describe_configuration_recorders()["ConfigurationRecorders"],
                "status": [{k: s.get(k) for k in ("name", "recording")}
                           for s in cfg.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]],
                "channels": cfg.describe_delivery_channels()["DeliveryChannels"],
                "slr": sorted(r["RoleName"] for r in iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]),
            }
    return state


def facts_of(env, tmp_path, emulator, org):
    """config1_facts run independently of the role (explicit credentials per account)."""
    accounts = []
    for name, info in org.items():
        creds = emulator.credentials(info["id"])
        accounts.append({"name": name, "id": info["id"], "access_key": creds["AWS_ACCESS_KEY_ID"],
                         "secret_key": creds["AWS_SECRET_ACCESS_KEY"], "session_token": creds.get("AWS_SESSION_TOKEN", "")})
    out = tmp_path / "facts.json"
    play = tmp_path / "facts.yml"
    play.write_text(
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - secops.config1.config1_facts:\n"
        "        regions: %s\n"
        "        access_key: '{{ item.access_key }}'\n"
        "        secret_key: '{{ item.secret_key }}'\n"
        "        session_token: '{{ item.session_token | default(omit, true) }}'\n"
        "      loop: '{{ accounts }}'\n"
        "      loop_control: {label: '{{ item.name }}'}\n"
        "      register: f\n"
        "    - ansible.builtin.copy:\n"
        "        content: \"{{ f.results | map(attribute='ansible_facts') | list | to_json }}\"\n"
        "        dest: %s\n" % (json.dumps(REGIONS), out))
    proc = subprocess.run([_bin("ansible-playbook"), "-i", "localhost,", "-c", "local", "-e",
                           json.dumps({"accounts": accounts, "ansible_python_interpreter": sys.executable}), str(play)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return {f["config1"]["account_id"]: f["config1"] for f in json.loads(out.read_text())}


def read_reports(report_dir):
    # From test-requirements.txt: imported, never skipped.
    import jsonschema  # pylint: disable=import-outside-toplevel
    import junitparser  # pylint: disable=import-outside-toplevel
    with open(os.path.join(report_dir, "report.json")) as f:
        report = json.load(f)
    with open(SCHEMA) as f:
        jsonschema.validate(report, json.load(f))
    xml = junitparser.JUnitXml.fromfile(os.path.join(report_dir, "junit.xml"))
    cases = {}
    for suite in xml:
        for case in suite:
            cases[(case.classname.split(".", 1)[1], case.name.split()[-1])] = case
    with open(os.path.join(report_dir, "report.md")) as f:
        markdown = f.read()
    return report, cases, markdown


def entries_by(report):
    return {(e["account_id"], e["region"]): e for e in report["entries"]}


def test_fleet_audit_fix_rerun(emulator, env, tmp_path):
    org = demo.seed_organization(emulator, accounts={n: (f, "") for n, f in FAULTS.items()})
    ids = {n: i["id"] for n, i in org.items()}
    inventory = write_static_inventory(str(tmp_path / "inventory.json"), org)
    # The locked account's role cannot be assumed (its AssumeRole goes to eu-west-1's STS).
    emulator.inject_fault("sts", "AssumeRole", region="eu-west-1", code="AccessDenied",
                          message="User is not authorized to perform: sts:AssumeRole", status=403)
    base_vars = {"config1_delivery_bucket": demo.CENTRAL_BUCKET, "config1_delivery_prefix": "config"}
    audit_dir = str(tmp_path / "audit")
    fix_dir = str(tmp_path / "fix")

    # --- audit: --check --diff changes nothing and reports every fault -----------------------
    before = describe(emulator, {n: i for n, i in org.items() if n != "locked"})
    emulator.reset_calls()
    proc = run_play(env, inventory, dict(base_vars, config1_report_dir=audit_dir), "--check", "--diff")
    out = proc.stdout
    assert proc.returncode == 2, out[-3000:]  # the locked account fails, after the report
    assert emulator.calls(mutating=True) == []
    assert describe(emulator, {n: i for n, i in org.items() if n != "locked"}) == before
    # the diff of a planned change is shown
    assert "PutConfigurationRecorder" in out or "recordingGroup" in out
    assert "secret_key" not in out and "session_token" not in out.replace("session_token: ", "")
    rc = recap(out)
    locked_host = next(h for h in rc if ids["locked"] in h)
    assert rc[locked_host]["failed"] == 1
    assert all(v["failed"] == 0 for h, v in rc.items() if h != locked_host)

    report, cases, markdown = read_reports(audit_dir)
    rows = entries_by(report)
    assert report["summary"]["accounts"] == len(FAULTS)
    assert report["summary"]["account_errors"] == 1
    assert report["run"]["check_mode"] is True
    for name, fault in FAULTS.items():
        for region in REGIONS:
            e = rows[(ids[name], region)]
            case = cases[(ids[name], region)]
            if name == "locked":
                assert e["status"] == "ERROR" and "assume" in (e["error"] or "").lower(), e
                assert case.result and case.result[0]._tag == "error"
            elif fault == "compliant":
                assert e["status"] == "PASSED" and not e["changes"], e
                assert case.is_passed
            else:
                assert e["status"] == "FAILED", (name, region, e)
                assert EXPECTED_REASON[fault] in [r["code"] for r in e["reasons"]]
                if fault == "control_tower":
                    assert e["left_alone"] and "Control Tower" in e["left_alone"] and not e["changes"]
                    assert case.is_skipped
                else:
                    assert e["changes"] and not e["applied"] and e["predicted_status"] == "PASSED", e
                    assert case.result and case.result[0]._tag == "failure"
                    assert EXPECTED_REASON[fault] in case.result[0].text
    # IAM globals are missing in the home Region only
    data_home = rows[(ids["data"], "us-east-1")]["missing_resource_types"]
    data_linked = rows[(ids["data"], "eu-west-1")]["missing_resource_types"]
    assert "AWS::IAM::User" in data_home and "AWS::IAM::User" not in data_linked
    # worst first: the account error, then failures, then left alone, then passes
    order = [e["status"] for e in report["entries"]]
    assert order[0] == "ERROR" and order[-1] == "PASSED"
    table = markdown.split("| --- |", 1)[1]
    assert table.index("| ERROR") < table.index("| FAILED |") < table.index("| FAILED, left alone |") < table.index("| PASSED |")

    # --- the reports agree with config1_facts --------------------------------------------------
    reachable = {n: i for n, i in org.items() if n != "locked"}
    facts = facts_of(env, tmp_path, emulator, reachable)
    for name, info in reachable.items():
        for region in REGIONS:
            f = facts[info["id"]]["regions"][region]
            e = rows[(info["id"], region)]
            assert e["status"] == f["status"], (name, region)
            assert [r["code"] for r in e["reasons"]] == [r["code"] for r in f["reasons"]]
            assert e["missing_resource_types"] == f["missing_resource_types"]

    # --- remediation fixes every fault it may ---------------------------------------------------
    emulator.reset_calls()
    proc = run_play(env, inventory, dict(base_vars, config1_report_dir=fix_dir))
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert emulator.calls(mutating=True), "the remediation made no change"
    assert emulator.calls(account=ids["ct-managed"], mutating=True) == []
    report, cases, _ignored = read_reports(fix_dir)
    rows = entries_by(report)
    for name, fault in FAULTS.items():
        for region in REGIONS:
            e = rows[(ids[name], region)]
            if name == "locked":
                assert e["error"]
            elif fault == "control_tower":
                assert e["status"] == "FAILED" and e["left_alone"]
            else:
                assert e["status"] == "PASSED", (name, region, e)
                assert (fault == "compliant") != bool(e["changes"] and e["applied"]), (name, region, e)
    assert report["summary"]["failing"] == ["%s/%s" % (ids["locked"], r) for r in sorted(REGIONS)]
    facts = facts_of(env, tmp_path, emulator, reachable)
    for name, info in reachable.items():
        for region in REGIONS:
            assert rows[(info["id"], region)]["status"] == facts[info["id"]]["regions"][region]["status"]

    # --- a second run changes nothing (the playbook by its FQCN this time) -----------------------
    emulator.reset_calls()
    proc = run_play(env, inventory, dict(base_vars, config1_report_dir=fix_dir), playbook="secops.config1.remediate")
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert emulator.calls(mutating=True) == []
    rc = recap(proc.stdout)
    assert rc and all(v["changed"] == 0 for v in rc.values()), (rc, proc.stdout[-6000:])
    report, _ignored, _ignored = read_reports(fix_dir)
    assert report["summary"]["changed"] == 0 and report["summary"]["planned"] == 0

    # --- the audit playbook (audit mode without --check) changes nothing either ----------------
    emulator.clear_faults()
    emulator.reset_calls()
    proc = run_play(env, inventory, dict(base_vars, config1_report_dir=str(tmp_path / "audit2")),
                    playbook=os.path.join(ROOT, "playbooks", "audit.yml"))
    assert emulator.calls(mutating=True) == []
    report, _ignored, _ignored = read_reports(str(tmp_path / "audit2"))
    locked = [e for e in report["entries"] if e["account_id"] == ids["locked"]]
    assert all(e["status"] == "FAILED" and e["changes"] and not e["applied"] for e in locked), locked
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_argument_specs_reject_bad_variable(emulator, env, tmp_path):
    inventory = tmp_path / "inv.json"
    inventory.write_text(json.dumps({"all": {"children": {"config1_accounts": {"hosts": {"acct_123456789012_mgmt": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "aws_account_id": "123456789012", "config1_regions": ["us-east-1"]}}}}}}))
    proc = run_play(env, str(inventory), {"config1_resource_types": "everything", "config1_report_dir": str(tmp_path / "r")},
                    "--check")
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "config1_resource_types" in text and "everything" in text, text[-3000:]
    assert "preserve" in text  # the message names the valid choices
    assert emulator.calls(service="config") == []  # rejected before any AWS call
    with open(tmp_path / "r" / "report.json") as f:
        report = json.load(f)
    assert report["summary"]["account_errors"] == 1
    assert "config1_resource_types" in report["accounts"][0]["error"]
