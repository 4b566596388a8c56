"""playbooks/verify.yml (the next-day checks) against the emulator: one healthy Region, one where
every check fails, one where the bucket cannot be read; each check says what it found."""
import datetime
import json
import os
import subprocess
import sys

from tests.harness import seed
from tests.integration.runner import collections_path

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACCOUNT = "777777777777"
BUCKET = "verify-central-777"


def test_verify_playbook_checks(emulator, tmp_path):
    s = emulator.session(ACCOUNT)
    for region in ("eu-west-1", "us-east-1"):
        seed.enable_security_hub(s, region, controls=["S3.5", "Config.1"])
        seed.put_recorder(s, region, recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                          start=True, channel_bucket=BUCKET)
    # eu-west-1: delivered objects, finding PASSED and RESOLVED, delivery Success.
    key = "AWSLogs/%s/Config/eu-west-1/2026/12/3/ConfigHistory/x.json.gz" % ACCOUNT
    s.client("s3", region_name="us-east-1").put_object(Bucket=BUCKET, Key=key, Body=b"{}")
    seed.put_config1_finding(s, "eu-west-1", "PASSED", workflow="RESOLVED")
    # us-east-1: history delivery failing, export failures in CloudWatch, finding still FAILED.
    seed.set_delivery_status(emulator, ACCOUNT, "us-east-1", status="Failure", error_code="AccessDenied",
                             message="Access Denied")
    s.client("cloudwatch", region_name="us-east-1").put_metric_data(
        Namespace="AWS/Config",
        MetricData=[{"MetricName": "ConfigHistoryExportFailed", "Value": 2.0, "Unit": "Count",
                     "Timestamp": datetime.datetime.now(datetime.timezone.utc)}])
    seed.put_config1_finding(s, "us-east-1", "FAILED", reasons=["CONFIG_RECORDER_DISABLED"])

    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({"all": {"children": {"config1_accounts": {
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
        "hosts": {"acct_777": {"aws_account_id": ACCOUNT, "config1_assume_role": "OrganizationAccountAccessRole",
                               "config1_regions": ["eu-west-1", "us-east-1"]}}}}}}))
    env = emulator.env()
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_HOME=str(tmp_path / "home"))
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra = {"config1_report_dir": str(tmp_path / "reports"), "config1_verify_since": since}
    emulator.reset_calls()
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory),
                           "-e", json.dumps(extra), os.path.join(ROOT, "playbooks", "verify.yml")],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert emulator.calls(mutating=True) == [], "verify must only read"
    assert proc.returncode == 2, proc.stdout[-3000:]  # the account fails because us-east-1's checks fail
    report = json.loads((tmp_path / "reports" / "verify.json").read_text())
    acct = report["accounts"][0]
    assert acct["account_id"] == ACCOUNT and acct["status"] == "failed"
    ok = acct["regions"]["eu-west-1"]["checks"]
    bad = acct["regions"]["us-east-1"]["checks"]
    assert ok["delivery_history"]["status"] == "ok" and ok["finding"]["status"] == "ok"
    assert ok["objects_delivered"]["status"] == "ok"
    assert bad["delivery_history"]["status"] == "failed" and "AccessDenied" in bad["delivery_history"]["detail"]
    assert bad["history_export_metric"]["status"] == "failed"
    assert bad["objects_delivered"]["status"] == "failed" and "No object delivered" in bad["objects_delivered"]["detail"]
    assert bad["finding"]["status"] == "failed"
    assert "us-east-1" in proc.stdout and "history_export_metric" in proc.stdout

    # A check that cannot be made says so (bucket unreadable), and the others still run.
    emulator.inject_fault("s3", None, account=ACCOUNT, code="AccessDenied", message="Access Denied", status=403)
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inventory),
                           "-e", json.dumps(extra), os.path.join(ROOT, "playbooks", "verify.yml")],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads((tmp_path / "reports" / "verify.json").read_text())
    objects = report["accounts"][0]["regions"]["eu-west-1"]["checks"]["objects_delivered"]
    assert objects["status"] == "unknown" and "Could not check" in objects["detail"], objects
    assert report["accounts"][0]["regions"]["eu-west-1"]["checks"]["finding"]["status"] == "ok"
