"""The .env file holds every key of an installation (README: Production mode): git must never pick it up."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ignored(name: str) -> bool:
    return subprocess.run(["git", "check-ignore", "--no-index", "-q", name], cwd=ROOT).returncode == 0


@pytest.fixture(autouse=True)
def _in_a_git_checkout():
    if shutil.which("git") is None or subprocess.run(["git", "rev-parse", "--git-dir"], cwd=ROOT,
                                                     capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")


@pytest.mark.parametrize("name", [".env", ".env.production", ".env.local"])
def test_env_files_with_keys_are_ignored(name):
    assert _ignored(name)


def test_the_example_env_file_may_be_committed():
    assert not _ignored(".env.example")
