"""Private servers a fault test may stop (never the shared Redis or PostgreSQL of the machine),
the Jusur processes it runs against them, and the record each fault test leaves behind.

Each fault test appends one JSON line to test-artifacts/faults.jsonl (requests made, 5xx, time to
recovery, changes lost, duplicates); docs/operations.md's fault table is written from them.
"""

import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record_fault(fault: str, **measures) -> dict:
    """Append one fault's measures to test-artifacts/faults.jsonl (and print them)."""
    row = {
        "fault": fault,
        **measures,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "faults.jsonl").open("a") as out:
        out.write(json.dumps(row) + "\n")
    print("FAULT", json.dumps(row))
    return row


class PrivatePostgres:
    """A PostgreSQL 15 cluster of its own (initdb in a temporary folder, a free port), so that a
    test can stop and restart it without touching the server every helper shares."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="jusur-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/jusur"
        user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._as_owner = user
        if user:
            shutil.chown(self.dir, "postgres", "postgres")
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        self._run([*initdb, "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()
        self._run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "jusur"])

    def _run(self, command: list[str]) -> None:
        subprocess.run(self._as_owner + command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"]
        )

    def stop(self, mode: str = "fast") -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_beat(*, env: dict, schedule: Path, log: Path) -> subprocess.Popen:
    """`celery beat` as the Procfile runs it, in its own process group."""
    command = [sys.executable, "-m", "celery", "-A", "portal", "beat", "-l", "info", "--schedule", str(schedule)]
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_process(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 30) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until(condition, timeout: float, step: float = 0.2) -> float | None:
    """Seconds until `condition()` held, or None if it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return round(time.monotonic() - started, 1)
        time.sleep(step)
    return None
