"""`make demo` end to end (tools/demo.py in a subprocess, its own emulator): it must say DEMO OK,
exit 0 and leave the three report sets."""
import os
import subprocess
import sys

from tests.integration.runner import collections_path

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_end_to_end(tmp_path):
    env = dict(os.environ, CONFIG1_DEMO_REPORTS=str(tmp_path / "demo"), ANSIBLE_COLLECTIONS_PATH=collections_path())
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "demo.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "DEMO OK" in proc.stdout
    assert "0 mutating AWS calls" in proc.stdout
    for run in ("audit", "remediation", "audit-again"):
        for name in ("report.json", "report.md", "junit.xml"):
            assert (tmp_path / "demo" / run / name).is_file(), (run, name)
