"""Production configuration, checked in a separate process with a production environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
        JUSUR_SITE_URL="https://jusur.example.ma",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_warns_when_e_mail_links_would_point_at_the_demo_address():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "production-like-secret-0123456789abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="jusur.example.ma",
    )
    assert result.returncode == 1
    assert "?: (portal.W001) JUSUR_SITE_URL is http://127.0.0.1:8000: links in e-mails would point there." in (
        result.stderr
    )


# --- Environment variables: typed, refused when invalid, all documented (issue 15) ----------

_SECRET = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
_READ = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'ssl': s.SECURE_SSL_REDIRECT, 'cookies': s.SESSION_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS,"
    "'proxies': s.JUSUR_TRUSTED_PROXIES, 'tls': s.EMAIL_USE_TLS, 'port': s.EMAIL_PORT,"
    "'site': s.JUSUR_SITE_URL, 'idle': s.JUSUR_STRICT_SESSION_IDLE, 'level': s.LOGGING['root']['level'],"
    "'conn': s.DATABASES['default']['CONN_MAX_AGE'], 'webhooks': s.JUSUR_WEBHOOKS_ALLOW_PRIVATE}))"
)


def _settings(**env: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-c", _READ], **env)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_SSL_REDIRECT", "maybe", "DJANGO_SSL_REDIRECT must be one of 1/0, true/false, yes/no, on/off"),
        ("DJANGO_SECURE_COOKIES", "enabled", "DJANGO_SECURE_COOKIES must be one of"),
        ("DJANGO_EMAIL_USE_TLS", "tls", "DJANGO_EMAIL_USE_TLS must be one of"),
        ("JUSUR_WEBHOOKS_ALLOW_PRIVATE", "2", "JUSUR_WEBHOOKS_ALLOW_PRIVATE must be one of"),
        ("DJANGO_DEBUG", "debug", "DJANGO_DEBUG must be one of"),
        ("JUSUR_TRUSTED_PROXIES", "-1", "JUSUR_TRUSTED_PROXIES must be at least 0 (got -1)"),
        ("JUSUR_TRUSTED_PROXIES", "abc", "JUSUR_TRUSTED_PROXIES must be a whole number (got 'abc')"),
        ("DJANGO_HSTS_SECONDS", "1.5", "DJANGO_HSTS_SECONDS must be a whole number (got '1.5')"),
        ("DJANGO_EMAIL_PORT", "0", "DJANGO_EMAIL_PORT must be at least 1 (got 0)"),
        ("DJANGO_CONN_MAX_AGE", "a minute", "DJANGO_CONN_MAX_AGE must be a whole number"),
        ("JUSUR_STRICT_SESSION_IDLE", "5", "JUSUR_STRICT_SESSION_IDLE must be at least 60 (got 5)"),
        ("JUSUR_STRICT_SESSION_MAX_AGE", "", None),  # empty: the default, not an error
        ("PORT", "99999", "PORT must be at most 65535 (got 99999)"),
        ("DJANGO_LOG_LEVEL", "LOUD", "DJANGO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("JUSUR_SITE_URL", "jusur.example.ma", "JUSUR_SITE_URL must start with http:// or https://"),
    ],
)
def test_an_invalid_value_stops_the_process_at_start_naming_the_variable(name, value, message):
    result = _settings(DJANGO_SECRET_KEY=_SECRET, **{name: value})
    if message is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_an_invalid_production_only_value_is_refused_in_development_too():
    # DJANGO_DEBUG=1 turns HTTPS redirects off, but a typo is still a typo.
    result = _settings(DJANGO_DEBUG="1", DJANGO_SSL_REDIRECT="maybe")
    assert result.returncode == 1
    assert "DJANGO_SSL_REDIRECT must be one of" in result.stderr


def test_valid_values_are_read():
    result = _settings(
        DJANGO_SECRET_KEY=_SECRET,
        DJANGO_SSL_REDIRECT="Off",
        DJANGO_SECURE_COOKIES="no",
        DJANGO_HSTS_SECONDS="600",
        JUSUR_TRUSTED_PROXIES=" 1 ",
        DJANGO_EMAIL_USE_TLS="TRUE",
        DJANGO_EMAIL_PORT="587",
        JUSUR_SITE_URL="https://jusur.example.ma/",
        JUSUR_STRICT_SESSION_IDLE="900",
        DJANGO_LOG_LEVEL="warning",
        DJANGO_CONN_MAX_AGE="0",
        JUSUR_WEBHOOKS_ALLOW_PRIVATE="off",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "ssl": False,
        "cookies": False,
        "hsts": 600,
        "proxies": 1,
        "tls": True,
        "port": 587,
        "site": "https://jusur.example.ma",
        "idle": 900,
        "level": "WARNING",
        "conn": 0,
        "webhooks": False,
    }


def test_the_defaults_are_the_documented_ones():
    result = _settings(DJANGO_SECRET_KEY=_SECRET)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "ssl": True,
        "cookies": True,
        "hsts": 31536000,
        "proxies": 0,
        "tls": False,
        "port": 25,
        "site": "http://127.0.0.1:8000",
        "idle": 1800,
        "level": "INFO",
        "conn": 60,
        "webhooks": False,
    }


def test_the_site_url_follows_the_demo_port():
    result = _settings(DJANGO_DEBUG="1", PORT="8080")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["site"] == "http://127.0.0.1:8080"
    explicit = _settings(DJANGO_DEBUG="1", PORT="8080", JUSUR_SITE_URL="https://jusur.example.ma")
    assert json.loads(explicit.stdout.splitlines()[-1])["site"] == "https://jusur.example.ma"


_READERS = re.compile(
    r"""\benv_(?:str|bool|int|list|choice)\(\s*["']([A-Z][A-Z0-9_]*)["']|\benv=["']([A-Z][A-Z0-9_]*)["']"""
)
_GUNICORN = re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def _variables_read() -> set[str]:
    settings_source = (ROOT / "portal" / "settings.py").read_text()
    found = {a or b for a, b in _READERS.findall(settings_source)}
    found |= set(_GUNICORN.findall((ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    return found


def test_settings_read_the_environment_only_through_the_typed_helpers():
    # Otherwise a variable could escape both the validation and the documentation check below.
    assert "os.environ" not in (ROOT / "portal" / "settings.py").read_text()
    assert "getenv" not in (ROOT / "portal" / "settings.py").read_text()


def test_every_environment_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Running in production") :]
    table = "\n".join(line for line in section.splitlines() if line.startswith("| `"))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", table))
    read = _variables_read()
    assert len(read) >= 29  # the scan itself still finds them (26 in settings, 3 for gunicorn)
    assert read - documented == set()
