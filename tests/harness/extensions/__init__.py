"""Monkeypatches and extra routes applied to moto in the process that runs the server.

``apply()`` is idempotent and must run before the server's Flask apps are created
(the Emulator calls it in start()).  ``STATE`` holds the harness's own per-account,
per-Region data; ``reset_state()`` wipes it.
"""

from __future__ import annotations

from .common import STATE

_APPLIED = False


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    from . import config, iam, securityhub

    iam.apply()
    config.apply()
    securityhub.apply()
    _APPLIED = True


def reset_state() -> None:
    STATE.reset()


__all__ = ["apply", "reset_state", "STATE"]
