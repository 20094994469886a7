"""What runs the stack (issue 15): the Procfile, the gunicorn configuration, the systemd units.

Each is checked by the tool that will read it in production, in a separate process.
"""

import configparser
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
UNITS = ROOT / "deploy" / "systemd"
_SECRET = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def _run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_honcho_accepts_the_procfile_with_its_three_processes():
    result = _run([str(BIN / "honcho"), "check", "-f", "Procfile"])
    assert result.returncode == 0, result.stderr
    assert "Valid procfile detected (web, worker, beat)" in result.stderr


def test_the_procfile_runs_gunicorn_with_its_config_and_one_beat_apart_from_the_worker():
    processes = _procfile()
    assert processes["web"] == "exec .venv/bin/gunicorn -c deploy/gunicorn.conf.py portal.wsgi"
    assert processes["worker"] == "exec .venv/bin/celery -A portal worker -l info"
    assert processes["beat"].startswith("exec .venv/bin/celery -A portal beat ")
    assert " -B" not in processes["worker"]  # beat embedded in a worker would multiply with workers


def test_gunicorn_accepts_its_configuration(tmp_path):
    result = _run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
        DJANGO_SECRET_KEY=_SECRET,
        GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"),
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_configuration_values(tmp_path):
    result = _run(
        [
            str(BIN / "gunicorn"),
            "--print-config",
            "-c",
            "deploy/gunicorn.conf.py",
            "portal.wsgi",
        ],
        DJANGO_SECRET_KEY=_SECRET,
        GUNICORN_WORKERS="3",
        GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    config = {key.strip(): value for key, _, value in (line.partition(" = ") for line in lines) if value}
    assert config["bind"] == "['127.0.0.1:8000']"  # the upstream in deploy/nginx/jusur.conf
    assert "server 127.0.0.1:8000;" in (ROOT / "deploy" / "nginx" / "jusur.conf").read_text()
    assert config["worker_class"] == "sync"
    assert config["workers"] == "3"
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == ("30", "30", "2")
    assert config["control_socket"] == str(tmp_path / "gunicorn.ctl")


def test_gunicorn_refuses_an_invalid_worker_count():
    result = _run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
        DJANGO_SECRET_KEY=_SECRET,
        GUNICORN_WORKERS="many",
    )
    assert result.returncode != 0
    assert "GUNICORN_WORKERS must be a whole number of at least 1 (got 'many')" in result.stdout + result.stderr


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


@pytest.mark.parametrize("name", ["jusur-web.service", "jusur-worker.service", "jusur-beat.service"])
def test_units_restart_and_read_the_environment_file(name):
    service = _unit(name)["Service"]
    assert service["User"] == "jusur"
    assert service["WorkingDirectory"] == "/srv/jusur"
    assert service["EnvironmentFile"] == "/etc/jusur/env"
    assert service["Restart"] == "always"
    assert int(service["RestartSec"]) >= 2


def test_the_web_unit_uses_the_gunicorn_config_and_outlasts_its_graceful_timeout():
    service = _unit("jusur-web.service")["Service"]
    assert service["ExecStart"] == "/srv/jusur/.venv/bin/gunicorn -c deploy/gunicorn.conf.py portal.wsgi"
    assert service["Type"] == "notify"  # gunicorn tells systemd when it is ready
    assert int(service["TimeoutStopSec"]) > 30


def test_the_worker_unit_waits_longer_than_the_task_time_limit_before_killing():
    from django.conf import settings

    service = _unit("jusur-worker.service")["Service"]
    assert service["KillSignal"] == "SIGTERM"  # Celery's warm shutdown
    assert int(service["TimeoutStopSec"]) > settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT


def test_web_and_worker_write_metrics_to_the_folder_created_at_boot():
    for name in ("jusur-web.service", "jusur-worker.service"):
        lines = (UNITS / name).read_text().splitlines()
        assert [ln for ln in lines if "PROMETHEUS" in ln and not ln.startswith("#")] == [
            "Environment=PROMETHEUS_MULTIPROC_DIR=/run/jusur-metrics"
        ], name
    line = [ln for ln in (UNITS / "jusur.tmpfiles").read_text().splitlines() if ln and not ln.startswith("#")]
    assert line == ["d /run/jusur-metrics 0750 jusur jusur -"]


def test_the_beat_unit_says_only_one_may_run():
    text = (UNITS / "jusur-beat.service").read_text()
    assert "ONLY ONE BEAT MAY RUN" in text
    assert " -B" not in _unit("jusur-worker.service")["Service"]["ExecStart"]


def test_systemd_analyze_verifies_the_units(tmp_path):
    # The units name /srv/jusur; point them at this checkout, whose .venv has the commands.
    for unit in UNITS.glob("*.service"):
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/jusur", str(ROOT)))
    result = _run(["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.glob("*.service"))])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def _wait_for(path: Path, pattern: str, count: int, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.findall(pattern, path.read_text(errors="replace"))
        if len(found) >= count:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{pattern!r} not seen {count} times:\n{path.read_text(errors='replace')[-3000:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/status").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def test_make_prod_starts_a_crashed_process_again_and_stops_gracefully(tmp_path):
    # scripts/prod.sh (what `make prod` runs after migrate and collectstatic): the real three
    # processes on our PostgreSQL and Redis; the web master is killed, honcho stops the set and
    # the script starts it again; a TERM then stops everything.
    log = tmp_path / "prod.log"
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SECRET_KEY": _SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jusur"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
    }
    with log.open("w") as out:
        script = subprocess.Popen(
            ["scripts/prod.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        listening = rf"Listening at: http://127\.0\.0\.1:{port} \((\d+)\)"
        first = int(_wait_for(log, listening, 1, 60)[0])
        os.kill(first, signal.SIGKILL)
        second = int(_wait_for(log, listening, 2, 60)[1])
        assert second != first
        assert "make prod: a process exited; restarting all three in 5 s" in log.read_text()
        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=60) == 0
        assert not _alive(second)
        assert "Shutting down: Master" in log.read_text()  # gunicorn got the TERM itself (exec)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
