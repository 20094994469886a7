"""Production configuration, checked in a separate process with a production environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    return subprocess.run(command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "manage.py", *args], **env)


def test_production_refuses_to_start_without_a_secret_key():
    result = _run([sys.executable, "-c", "import portal.wsgi"])
    assert result.returncode == 1
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_management_commands_on_a_developer_machine_run_without_a_secret():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "production-like-secret-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="jusur.example.ma",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
