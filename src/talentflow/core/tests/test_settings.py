"""Production settings pass Django's deployment checks; secrets persist across starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from talentflow.core.secrets import FileSecrets


def test_check_deploy_passes_with_production_environment(tmp_path):
    """`manage.py check --deploy --fail-level WARNING` reports nothing in production mode."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentflow.settings",
        "DEBUG": "0",
        "SECRET_KEY": "production-secret-key-with-enough-entropy-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "talent.example.gov.cn",
        "TALENTFLOW_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    for name in ("TALENTFLOW_TLS", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "talentflow.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_generated_secrets_persist_and_are_private(tmp_path):
    first = FileSecrets(tmp_path).get("k", FileSecrets.django_key)
    assert FileSecrets(tmp_path).get("k", FileSecrets.django_key) == first
    path = tmp_path / FileSecrets.FILE_NAME
    assert json.loads(path.read_text())["k"] == first
    assert path.stat().st_mode & 0o077 == 0
