"""Run a secops.config1 module through Ansible (ad-hoc, in a subprocess, AnsiballZ and all)
against the emulator, and return its result as a dict."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collections_path():
    path = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    if path:
        return path
    link_root = os.path.join(ROOT, ".build", "collections")
    link = os.path.join(link_root, "ansible_collections", "secops", "config1")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    return link_root


def ansible_env(emulator, account=None):
    env = emulator.env()
    if account:
        env.update(emulator.credentials(account))
    env.update(
        ANSIBLE_COLLECTIONS_PATH=collections_path(),
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
        ANSIBLE_HOST_KEY_CHECKING="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
    )
    return env


def run_module(emulator, module, args, account=None, check=False, diff=False):
    """Returns (result dict, completed process)."""
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible"), "localhost",
           "-m", "secops.config1." + module, "-a", json.dumps(args)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    proc = subprocess.run(cmd, env=ansible_env(emulator, account), capture_output=True, text=True, timeout=300, check=False)
    try:
        out = json.loads(proc.stdout)
    except ValueError as exc:
        raise AssertionError("ansible output is not JSON:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:])) from exc
    result = out["plays"][0]["tasks"][0]["hosts"]["localhost"]
    return result, proc
