"""roles/remediate/tasks/central_bucket.yml against the emulator: the delivery bucket is created
encrypted, versioned, with public access blocked and the AWS Config bucket policy; a second run
changes nothing."""
import json
import os
import subprocess
import sys

from tests.integration.runner import collections_path

ACCOUNT = "888888888888"
BUCKET = "org-config-logs-888888888888"

PLAY = """
- name: Central bucket
  hosts: log_archive
  gather_facts: false
  tasks:
    - name: Central Config bucket
      ansible.builtin.include_role:
        name: secops.config1.remediate
        tasks_from: central_bucket
"""


def run(emulator, tmp_path):
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps({"all": {"hosts": {"log_archive": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
        "aws_account_id": ACCOUNT, "config1_assume_role": "OrganizationAccountAccessRole",
        "config1_regions": ["eu-west-1"], "config1_delivery_bucket": BUCKET, "config1_delivery_prefix": "config",
        "config1_central_bucket_accounts": ["111111111111", "222222222222"]}}}}))
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    env = emulator.env()
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_HOME=str(tmp_path / "home"))
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(inv), str(play)],
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def test_central_bucket(emulator, tmp_path):
    proc = run(emulator, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    s3 = emulator.session(ACCOUNT).client("s3", region_name="eu-west-1")
    enc = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert enc["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    pab = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(pab.values()) and len(pab) == 4
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    actions = {a for st in policy["Statement"] for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
    assert {"s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"} <= actions
    put = next(st for st in policy["Statement"] if st["Action"] == "s3:PutObject" or st["Action"] == ["s3:PutObject"])
    assert put["Principal"] == {"Service": "config.amazonaws.com"}
    resources = put["Resource"] if isinstance(put["Resource"], list) else [put["Resource"]]
    assert "arn:aws:s3:::%s/config/AWSLogs/111111111111/Config/*" % BUCKET in resources
    assert any(st["Effect"] == "Deny" for st in policy["Statement"])  # plain HTTP denied
    again = run(emulator, tmp_path)
    assert again.returncode == 0 and "changed=0" in again.stdout.rsplit("PLAY RECAP", 1)[-1], again.stdout[-2000:]
