"""The personal-information keys are required in production and never derived from SECRET_KEY.
Each case starts a fresh interpreter: settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); django.setup();"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "production-" + "s" * 50, "ALLOWED_HOSTS": "example.org"}
KEYS = ("ID_HASH_KEY", "PII_ENCRYPTION_KEYS")


def run(code: str, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "HTTPS", *KEYS}}
    base.update(env)
    return subprocess.run([sys.executable, "-c", SETUP + code], cwd=ROOT, env=base, capture_output=True, text=True)


def test_production_without_the_keys_refuses_to_start_and_says_why():
    result = run("print('started')", **PRODUCTION)
    assert result.returncode != 0 and "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "ID_HASH_KEY" in result.stderr and "PII_ENCRYPTION_KEYS" in result.stderr


def test_production_with_only_the_hash_key_still_refuses():
    result = run("print('started')", ID_HASH_KEY="k" * 40, **PRODUCTION)
    assert result.returncode != 0 and "PII_ENCRYPTION_KEYS" in result.stderr


def test_a_malformed_encryption_key_is_refused_with_the_reason():
    result = run("print('started')", ID_HASH_KEY="k" * 40, PII_ENCRYPTION_KEYS="short", **PRODUCTION)
    assert result.returncode != 0 and "32 字节" in result.stderr


def test_production_with_both_keys_starts_and_uses_them():
    from haidian_contest.crypto import generate_key

    key = generate_key()
    result = run("from django.conf import settings as s; print(s.ID_HASH_KEY, s.PII_ENCRYPTION_KEYS)",
                 ID_HASH_KEY="h" * 40, PII_ENCRYPTION_KEYS=key, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["h" * 40, f"['{key}']"]


def test_the_id_hash_key_never_defaults_to_the_secret_key():
    secret = "development-secret-" + "x" * 40
    result = run("from django.conf import settings as s; print(s.ID_HASH_KEY == s.SECRET_KEY)",
                 DEBUG="true", SECRET_KEY=secret)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
