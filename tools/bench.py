"""make bench: figures for the modules and the fleet play against the local emulator.

Prints API calls (the real cost: AWS throttles them) and wall-clock seconds. Wall time here is
the emulator on loopback plus Ansible's own start-up, so it is an upper bound of the tool's own
overhead, not a forecast of AWS latency. Nothing here asserts a time.
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.harness import seed  # noqa: E402
from tests.harness.emulator import Emulator  # noqa: E402
from tests.integration.runner import ansible_env, run_module  # noqa: E402

REGIONS_17 = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
              "eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
              "ap-southeast-1", "ap-southeast-2", "ap-south-1", "sa-east-1"]


def seed_account(emu, account, regions, recorder=False):
    s = emu.session(account)
    for r in regions:
        seed.enable_security_hub(s, r)  # FSBP: every control in the catalog enabled
        if recorder:
            seed.put_recorder(s, r, recording_group={"allSupported": True, "includeGlobalResourceTypes": True},
                              start=True, channel_bucket="bench-%s-%s" % (account, r))
    seed.create_finding_aggregator(s, regions[0])


def timed(fn):
    t = time.time()
    out = fn()
    return out, time.time() - t


def row(*cols):
    print("| " + " | ".join(str(c) for c in cols) + " |")


def bench_modules(emu):
    print("\n## Modules, one account (FSBP enabled: %s)\n" % "all catalog controls")
    row("run", "Regions", "API calls", "mutating", "calls/Region", "boto3 clients", "seconds")
    row(*["---"] * 7)
    for n in (1, 4, 17):
        emu.reset()
        account = "3000000000%02d" % n
        regions = REGIONS_17[:n]
        seed_account(emu, account, regions)
        emu.reset_calls()
        (res, _ignored), secs = timed(lambda: run_module(emu, "config1_facts", {"regions": regions}, account=account))
        facts = res["ansible_facts"]["config1"]
        calls = emu.calls(account=account)
        row("config1_facts", n, len(calls), len([c for c in calls if c.mutating]),
            "%.1f" % ((len(calls) - facts["api_calls"]["account"]) / n), facts["api_calls"]["clients_created"], "%.1f" % secs)
        args = {"regions": regions, "delivery_channel": {"s3_bucket": "bench-central"}}
        emu.reset_calls()
        (res, _ignored), secs = timed(lambda: run_module(emu, "config1_recorder", args, account=account, check=True, diff=True))
        calls = emu.calls(account=account)
        mutating = len([c for c in calls if c.mutating])
        row("config1_recorder --check", n, len(calls), mutating, "%.1f" % (len(calls) / n), "", "%.1f" % secs)
        emu.reset_calls()
        (res, _ignored), secs = timed(lambda: run_module(emu, "config1_recorder", args, account=account))
        calls = emu.calls(account=account)
        mut = [c for c in calls if c.mutating]
        row("config1_recorder fix", n, len(calls), len(mut), "%.1f mutating" % (len([c for c in mut if c.service == "config"]) / n), "", "%.1f" % secs)
        emu.reset_calls()
        (res, _ignored), secs = timed(lambda: run_module(emu, "config1_recorder", args, account=account))
        calls = emu.calls(account=account)
        row("config1_recorder 2nd run", n, len(calls), len([c for c in calls if c.mutating]), "%.1f" % (len(calls) / n), "", "%.1f" % secs)


def bench_fleet(emu):
    playbook = os.path.join(ROOT, "playbooks", "remediate.yml")
    if not os.path.exists(playbook):
        print("\n(fleet benchmark skipped: playbooks/remediate.yml not present)")
        return
    print("\n## Fleet play (playbooks/remediate.yml --check, forks 10), accounts x 3 Regions\n")
    row("accounts", "Regions", "API calls", "mutating", "seconds")
    row(*["---"] * 5)
    regions = REGIONS_17[:3]
    for n in (5, 20):
        emu.reset()
        accounts = ["4000000000%02d" % i for i in range(n)]
        for a in accounts:
            seed_account(emu, a, regions, recorder=True)
        with tempfile.TemporaryDirectory() as tmp:
            inv = os.path.join(tmp, "inventory.yml")
            with open(inv, "w") as f:
                f.write("all:\n  children:\n    config1_accounts:\n      hosts:\n")
                for a in accounts:
                    f.write("        acct_%s:\n          ansible_connection: local\n          aws_account_id: '%s'\n"
                            "          config1_assume_role: OrganizationAccountAccessRole\n          config1_regions: %s\n" % (a, a, regions))
                f.write("  vars:\n    ansible_python_interpreter: %s\n    config1_report_dir: %s\n    config1_delivery_bucket: bench-central\n"
                        % (sys.executable, os.path.join(tmp, "reports")))
            env = ansible_env(emu)
            env.pop("ANSIBLE_STDOUT_CALLBACK", None)
            emu.reset_calls()
            cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inv, playbook, "--check", "-f", "10"]
            t = time.time()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            secs = time.time() - t
            calls = emu.calls()
            status = "" if proc.returncode == 0 else " (rc %d)" % proc.returncode
            row(n, len(regions), len(calls), len([c for c in calls if c.mutating]), "%.1f%s" % (secs, status))


def main():
    with Emulator() as emu:
        print("# secops.config1 benchmarks (local emulator, %d cores)" % os.cpu_count())
        bench_modules(emu)
        bench_fleet(emu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
