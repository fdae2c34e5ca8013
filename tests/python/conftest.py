"""Fixtures the Python test modules share."""

import pathlib
import subprocess
import tempfile

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pg_url():
    """A throwaway PostgreSQL cluster (scripts/throwaway-postgres) per test module, stopped (and its
    directory removed) after the module's tests."""
    directory = tempfile.mkdtemp(prefix="racetiming-pytest-pg.")
    script = str(SOURCE / "scripts" / "throwaway-postgres")
    url = subprocess.run([script, "start", directory], check=True, capture_output=True, text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([script, "stop", directory], check=False)
