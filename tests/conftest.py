"""Shared fixtures: the bundled data and the published-method prognosis made from it."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import wgsforecast as wf

# Keep property tests quick on CI's two cores; a deeper profile is one env var away.
settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("deep", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def bundled() -> wf.ProgrammeData:
    """The bundled groups, reconstructed actuals and March 2023 assumptions."""
    return wf.load_bundled()


@pytest.fixture(scope="session")
def published_method(bundled: wf.ProgrammeData) -> wf.Prognosis:
    """The run-rate (published method) prognosis as of February 2023."""
    return wf.forecast(bundled.actuals, bundled.groups, bundled.assumptions, engine="runrate")
