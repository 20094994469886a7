"""The web side of the fault tests: gunicorn with deploy/gunicorn.conf.py, nginx with
deploy/nginx/jusur.conf (ports and paths moved into a temporary folder), and a bounded load
loop recording every answer."""

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.faults.servers import ROOT, free_port, wait_until

NGINX_CONF = ROOT / "deploy" / "nginx" / "jusur.conf"
SECRET = "fault-tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def start_gunicorn(*, env: dict, log: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_CONTROL_SOCKET": str(log.parent / f"gunicorn-{port}.ctl"),
        **env,
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "portal.wsgi"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/healthz/live", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    if wait_until(up, timeout=90, step=0.5) is None:
        raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
    return process, base


def start_nginx(*, upstream: str, folder: Path) -> tuple[subprocess.Popen, int]:
    """nginx with the shipped site file; its HTTPS server on a free port, a throwaway certificate."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jusur.example.org",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    site = (
        NGINX_CONF.read_text()
        .replace("/etc/letsencrypt/live/jusur.example.org/", f"{folder}/")
        .replace("/srv/jusur/", f"{folder}/")
        .replace("server 127.0.0.1:8000;", f"server {upstream};")
        .replace("listen [::]:80;\n", "")
        .replace("listen [::]:443 ssl http2;\n", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl;")
    )
    assert f"server {upstream};" in site and f":{https_port} ssl;" in site
    (folder / "jusur.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # the worker writes its temp files in `folder`
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
        f"  include {folder}/jusur.conf;\n}}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def up():
        try:
            return requests.get(
                f"https://127.0.0.1:{https_port}/healthz/live", timeout=2, verify=folder / "fullchain.pem"
            ).ok
        except requests.RequestException:
            return False

    if wait_until(up, timeout=30) is None:
        raise RuntimeError(f"nginx did not start:\n{(folder / 'error.log').read_text()[-2000:]}")
    return process, https_port


@dataclass
class Answer:
    at: float  # time.monotonic()
    kind: str
    status: int  # 0: no answer (connection refused, timeout)
    seconds: float


@dataclass
class LoadLoop:
    """Requests in a background thread until stopped: a bounded, loopback-only load."""

    base: str
    interval: float = 0.25
    max_seconds: float = 300
    signups: bool = True
    answers: list[Answer] = field(default_factory=list)
    accepted_emails: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=60)

    def _timed(self, kind, call):
        started = time.monotonic()
        try:
            status = call().status_code
        except requests.RequestException:
            status = 0
        self.answers.append(Answer(started, kind, status, round(time.monotonic() - started, 3)))
        return status

    def _signup(self, number: int) -> None:
        session = requests.Session()
        form = {}

        def get_form():
            response = session.get(f"{self.base}/fr/diaspora/signup/", timeout=10)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            form["token"] = token.group(1) if token else ""
            return response

        if self._timed("signup-form", get_form) != 200:
            return
        email = f"fault-{os.getpid()}-{number}@example.org"
        data = {
            "csrfmiddlewaretoken": form["token"],
            "full_name": f"Fault Test {number}",
            "email": email,
            "password1": "Fault-Test-Pass-2026",
            "password2": "Fault-Test-Pass-2026",
        }
        headers = {"Referer": f"{self.base}/fr/diaspora/signup/"}
        post = lambda: session.post(  # noqa: E731
            f"{self.base}/fr/diaspora/signup/", data=data, headers=headers, timeout=10, allow_redirects=False
        )
        if self._timed("signup", post) == 302:
            self.accepted_emails.append(email)

    def _run(self):
        deadline = time.monotonic() + self.max_seconds
        number = 0
        while not self._stop.is_set() and time.monotonic() < deadline:
            self._timed("ready", lambda: requests.get(f"{self.base}/healthz/ready", timeout=10))
            self._timed("home", lambda: requests.get(f"{self.base}/fr/", timeout=10))
            if self.signups and number % 4 == 0:
                self._signup(number)
            number += 1
            self._stop.wait(self.interval)

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end]
