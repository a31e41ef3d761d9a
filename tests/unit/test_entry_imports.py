"""Each entry point imports on its own, in a fresh interpreter: an import cycle that the app's own import order hides
(services.reports → … → jobs.report_jobs → services.reports) breaks a command that starts elsewhere."""

from __future__ import annotations

import subprocess  # nosec B404 - our own interpreter with fixed arguments
import sys

import pytest

ENTRY_MODULES = (
    "selfeval.app",
    "selfeval.cli",
    "selfeval.services.reports",
    "selfeval.services.assessments",
    "selfeval.jobs.report_jobs",
    "selfeval.jobs.tasks",
    "benchmarks.reports",
    "benchmarks.load",
    "benchmarks.analytics",
)


@pytest.mark.parametrize("module", ENTRY_MODULES)
def test_the_module_imports_first(module):
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments  # nosec B603
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stderr.strip().splitlines()[-1:]) == (0, [])
