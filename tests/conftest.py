"""Test-suite wiring: the emulator fixtures come from the harness."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

if os.path.exists(os.path.join(ROOT, "tests", "harness", "pytest_plugin.py")):
    pytest_plugins = ["tests.harness.pytest_plugin"]
