"""pytest fixtures for the AWS emulator.

Use from a conftest.py with ``from tests.harness.pytest_plugin import emulator_server, emulator  # noqa: F401``
or ``pytest_plugins = ["tests.harness.pytest_plugin"]`` in the rootdir conftest, or
``-p tests.harness.pytest_plugin``.  With pytest-xdist every worker process starts its own
emulator on its own free port.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .emulator import Emulator


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """A started Emulator for the whole session (one per xdist worker), stopped at the end."""
    emu = Emulator().start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """The session's Emulator after reset(): no moto state, harness state, calls or faults."""
    emulator_server.reset()
    return emulator_server
