"""`make demo`: the whole Config.1 story against the local AWS emulator, in about a minute.

1. start the emulator (moto server + harness extensions) on 127.0.0.1;
2. seed an AWS organization: a management account and member accounts in two Regions, each
   member with a different Config.1 fault, one Control Tower recorder, the management account
   already compliant; Security Hub on with a few controls and a finding aggregator;
3. inventory: the collection's organizations inventory plugin (hosts = active accounts);
4. audit: ansible-playbook playbooks/remediate.yml --check --diff - the report must show every
   fault and the emulator's call log must hold zero mutating calls;
5. remediation: ansible-playbook playbooks/remediate.yml;
6. audit again: every account-Region PASSED except the Control Tower account, which is left
   alone on purpose (the report says why); zero mutating calls;
7. print where the reports are and a short summary, stop the emulator.

Exit status 0 only if all of that held; otherwise 1 with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

REGIONS = ["us-east-1", "eu-west-1"]
HOME_REGION = "us-east-1"
MGMT_ACCOUNT = "123456789012"
CENTRAL_BUCKET = "org-config-central-logs"
CONTROLS = ["Config.1", "EC2.2", "S3.5", "IAM.1", "IAM.2", "Lambda.1"]
CT_RECORDER = "aws-controltower-BaselineConfigRecorder"

# name -> (fault, description shown by the demo)
ACCOUNTS = {
    "management": ("compliant", "already compliant (service-linked role, all types, recording)"),
    "dev": ("no_recorder", "no configuration recorder at all"),
    "staging": ("stopped", "recorder exists but is stopped"),
    "legacy": ("custom_role", "recorder uses a custom IAM role"),
    "data": ("missing_types", "inclusion list without the required types; IAM globals missing in the home Region"),
    "ct-managed": ("control_tower", "AWS Control Tower recorder (custom role), left alone on purpose"),
}


def _ensure_collection_link():
    """ANSIBLE_COLLECTIONS_PATH with ansible_collections/secops/config1 -> this checkout."""
    coll_root = os.path.join(ROOT, ".build", "collections")
    link = os.path.join(coll_root, "ansible_collections", "secops", "config1")
    if not os.path.exists(os.path.join(link, "galaxy.yml")):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        if os.path.islink(link):
            os.unlink(link)
        os.symlink(ROOT, link)
    return coll_root


def seed_organization(emu, regions=None, home_region=HOME_REGION, accounts=None, controls=None,
                      findings=True):
    """Create the organization and put each account in its fault. Returns
    {name: {"id": account_id, "fault": fault}} (the management account is moto's default)."""
    regions = REGIONS if regions is None else regions
    accounts = ACCOUNTS if accounts is None else accounts
    controls = CONTROLS if controls is None else controls
    from tests.harness import seed

    mgmt = emu.session(MGMT_ACCOUNT, "us-east-1")
    org = mgmt.client("organizations")
    org.create_organization(FeatureSet="ALL")
    out = {}
    for name, (fault, _text) in accounts.items():
        if fault == "compliant" and name == "management":
            account_id = MGMT_ACCOUNT
        else:
            status = org.create_account(AccountName=name, Email="aws-%s@example.com" % name)["CreateAccountStatus"]
            account_id = status["AccountId"]
        out[name] = {"id": account_id, "fault": fault}
    # The central delivery bucket lives in the management account here (a log-archive account in
    # real life, see roles/remediate/tasks/central_bucket.yml).
    mgmt.client("s3").create_bucket(Bucket=CENTRAL_BUCKET)
    for name, info in out.items():
        seed_account(emu, info["id"], info["fault"], regions, home_region, controls, findings)
    return out


def seed_account(emu, account_id, fault, regions=None, home_region=HOME_REGION, controls=None, findings=True):
    from tests.harness import seed  # pylint: disable=import-outside-toplevel

    regions = REGIONS if regions is None else regions
    controls = CONTROLS if controls is None else controls

    first = emu.session(account_id, regions[0])
    custom_role = None
    if fault in ("custom_role", "control_tower"):
        custom_role = seed.create_custom_role(
            first, "aws-controltower-ConfigRecorderRole" if fault == "control_tower" else "LegacyConfigRole")
    for region in regions:
        sess = emu.session(account_id, region)
        seed.enable_security_hub(sess, region, controls=controls)
        bucket = None  # channels are added below, all to the central bucket
        reasons = []
        if fault == "compliant":
            seed.put_recorder(sess, region, recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                              channel_bucket=bucket)
        elif fault == "no_recorder":
            reasons = ["CONFIG_RECORDER_DISABLED"]
        elif fault == "stopped":
            seed.put_recorder(sess, region, recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                              channel_bucket=bucket)
            reasons = ["CONFIG_RECORDER_DISABLED"]
        elif fault == "custom_role":
            seed.put_recorder(sess, region, role_arn=custom_role,
                              recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                              channel_bucket=bucket)
            reasons = ["CONFIG_RECORDER_CUSTOM_ROLE"]
        elif fault == "missing_types":
            seed.put_recorder(sess, region, recording_group={
                "allSupported": False, "includeGlobalResourceTypes": False,
                "resourceTypes": ["AWS::EC2::SecurityGroup"],
                "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"}}, channel_bucket=bucket)
            reasons = ["CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES"]
        elif fault == "control_tower":
            seed.put_recorder(sess, region, name=CT_RECORDER, role_arn=custom_role,
                              recording_group={"allSupported": True, "includeGlobalResourceTypes": region == home_region},
                              channel_bucket=bucket)
            reasons = ["CONFIG_RECORDER_CUSTOM_ROLE"]
        else:
            raise ValueError("unknown fault %r" % fault)
        if fault not in ("no_recorder",):
            _central_channel(sess, region, start=fault != "stopped")
        if findings:
            seed.put_config1_finding(sess, region, "FAILED" if reasons else "PASSED", reasons=reasons,
                                     workflow="NEW" if reasons else "RESOLVED")
    seed.create_finding_aggregator(first if regions[0] == home_region else emu.session(account_id, home_region),
                                   home_region)


def _central_channel(sess, region, start=True):
    """The organization's delivery channel (central bucket, prefix "config"), then start the recorder."""
    cfg = sess.client("config", region_name=region)
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": CENTRAL_BUCKET, "s3KeyPrefix": "config"})
    if start:
        for rec in cfg.describe_configuration_recorders()["ConfigurationRecorders"]:
            cfg.start_configuration_recorder(ConfigurationRecorderName=rec["name"])


def write_inventory(workdir, regions=None):
    """The organizations inventory plugin's configuration (the management account's ambient
    credentials list the accounts; member accounts are reached through OrganizationAccountAccessRole)."""
    regions = REGIONS if regions is None else regions
    path = os.path.join(workdir, "demo.organizations.yml")
    with open(path, "w") as f:
        f.write(
            "plugin: secops.config1.organizations\n"
            "regions: [%s]\n"
            "assume_role_name: OrganizationAccountAccessRole\n"
            "role_session_name: config1-demo\n"
            "hostname_style: id_name\n"
            "ou_groups: false\n" % ", ".join(regions)
        )
    return path


def write_vars(workdir, report_dir):
    path = os.path.join(workdir, "demo-vars.json")
    with open(path, "w") as f:
        json.dump({
            "config1_delivery_bucket": CENTRAL_BUCKET,
            "config1_delivery_prefix": "config",
            "config1_report_dir": report_dir,
            "config1_concurrency": 4,
        }, f)
    return path


def run_playbook(env, inventory, extra_vars, *args, label=""):
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
           "-e", "@" + extra_vars, os.path.join(ROOT, "playbooks", "remediate.yml"), *args]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.monotonic() - start
    return proc, took


def load_report(report_dir):
    with open(os.path.join(report_dir, "report.json")) as f:
        return json.load(f)


def main():
    started = time.monotonic()
    from tests.harness.emulator import Emulator

    coll_root = _ensure_collection_link()
    workdir = tempfile.mkdtemp(prefix="config1-demo-")
    reports_root = os.environ.get("CONFIG1_DEMO_REPORTS") or os.path.join(ROOT, "reports", "demo")
    shutil.rmtree(reports_root, ignore_errors=True)
    problems = []
    lines = []
    emu = Emulator().start()
    try:
        print("emulator: %s" % emu.endpoint, flush=True)
        org = seed_organization(emu)
        ids = {info["id"]: name for name, info in org.items()}
        for name, info in org.items():
            print("  %-12s %s  %s" % (name, info["id"], ACCOUNTS[name][1]))
        inventory = write_inventory(workdir)
        env = emu.env()
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": coll_root,
            "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "tmp"),
            "ANSIBLE_HOME": os.path.join(workdir, "home"),
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_HOST_KEY_CHECKING": "False",
            "ANSIBLE_FORKS": "8",
            "ANSIBLE_INVENTORY_CACHE": "False",
        })
        steps = [("audit", ["--check", "--diff"]), ("remediation", []), ("audit-again", ["--check", "--diff"])]
        reports = {}
        for label, args in steps:
            report_dir = os.path.join(reports_root, label)
            extra = write_vars(workdir, report_dir)
            emu.reset_calls()
            print("\n== %s: ansible-playbook playbooks/remediate.yml %s" % (label, " ".join(args)), flush=True)
            proc, took = run_playbook(env, inventory, extra, *args, label=label)
            log_path = os.path.join(reports_root, label + ".log")
            os.makedirs(reports_root, exist_ok=True)
            with open(log_path, "w") as f:
                f.write(proc.stdout + "\n--- stderr ---\n" + proc.stderr)
            mutating = emu.calls(mutating=True)
            print("   exit %d in %.1fs, %d mutating AWS calls, log %s" % (proc.returncode, took, len(mutating), log_path))
            if not os.path.exists(os.path.join(report_dir, "report.json")):
                problems.append("%s: no report.json (exit %d); see %s" % (label, proc.returncode, log_path))
                print(proc.stdout[-3000:])
                break
            report = reports[label] = load_report(report_dir)
            print_table(report, ids)
            if proc.returncode != 0:
                problems.append("%s: ansible-playbook exited %d; see %s" % (label, proc.returncode, log_path))
            if label != "remediation" and mutating:
                problems.append("%s: %d mutating calls in check mode: %s" % (
                    label, len(mutating), sorted({"%s:%s" % (c.service, c.operation) for c in mutating})))
            check_outcome(label, report, org, problems)
        s = reports.get("audit-again", {}).get("summary")
        if s:
            lines.append("After remediation: %d account(s), %d account-Region(s): %d PASSED, %d FAILED "
                         "(%d left alone on purpose), %d not available, %d account error(s)." % (
                             s["accounts"], s["regions"], s["passed"], s["failed"], s["left_alone"],
                             s["not_available"], s["account_errors"]))
        a = reports.get("audit", {}).get("summary")
        r = reports.get("remediation", {}).get("summary")
        if a and r:
            lines.insert(0, "First audit: %d of %d account-Region(s) failing Config.1; remediation changed %d." % (
                a["failed"] + a["not_available"], a["regions"], r["changed"]))
    finally:
        emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nReports (report.json, report.md, junit.xml) and play logs under %s/{audit,remediation,audit-again}" % reports_root)
    for line in lines:
        print(line)
    print("Demo took %.0fs." % (time.monotonic() - started))
    if problems:
        print("\nDEMO FAILED:")
        for p in problems:
            print("  - " + p)
        return 1
    print("\nDEMO OK: the audit showed every fault and changed nothing, the remediation fixed them, and the "
          "second audit passes everywhere except the Control Tower account, left alone on purpose.")
    return 0


def print_table(report, ids):
    for e in report["entries"]:
        name = ids.get(e["account_id"], e["account_name"])
        reasons = ", ".join(r["code"] for r in e["reasons"]) or "-"
        extra = ""
        if e.get("left_alone"):
            extra = "  [left alone: %s]" % e["left_alone"].split(";")[0]
        elif e.get("changes"):
            extra = "  [%s: %s]" % ("changed" if e["applied"] else "would change",
                                    ", ".join(c["action"] for c in e["changes"]))
        print("   %-11s %-10s %-13s %s%s" % (name, e["region"], e["status"], reasons, extra))


def check_outcome(label, report, org, problems):
    by_acct = {}
    for e in report["entries"]:
        by_acct.setdefault(e["account_id"], []).append(e)
    for name, info in org.items():
        entries = by_acct.get(info["id"], [])
        if len(entries) != len(REGIONS):
            problems.append("%s: %s has %d report entries, expected %d" % (label, name, len(entries), len(REGIONS)))
            continue
        for e in entries:
            where = "%s: %s %s" % (label, name, e["region"])
            if e.get("error"):
                problems.append("%s: error %s" % (where, e["error"]))
                continue
            fault = info["fault"]
            if label == "audit":
                if fault == "compliant":
                    if e["status"] != "PASSED" or e["changes"]:
                        problems.append("%s: expected PASSED and no change, got %s" % (where, e["status"]))
                elif e["status"] != "FAILED":
                    problems.append("%s: fault %s not reported (status %s)" % (where, fault, e["status"]))
                elif fault != "control_tower" and e["predicted_status"] != "PASSED":
                    problems.append("%s: the plan does not predict PASSED (%s)" % (where, e["predicted_status"]))
            else:
                if fault == "control_tower":
                    if not e.get("left_alone") or e["changes"]:
                        problems.append("%s: the Control Tower recorder was not left alone" % where)
                elif e["status"] != "PASSED":
                    problems.append("%s: expected PASSED, got %s %s" % (where, e["status"], e["reasons"]))
                if label == "audit-again" and e["changes"]:
                    problems.append("%s: a second run still plans changes: %s" % (where, e["changes"]))


if __name__ == "__main__":
    sys.exit(main())
