"""The reverse-proxy configuration we ship (deploy/nginx/jusur.conf) is valid for Debian's nginx
and keeps its promises: buffered requests, a 21 MB body cap, X-Forwarded-Proto, static files,
/healthz not redirected. `make test` installs nginx (scripts/apt-install.sh)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client, override_settings

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "jusur.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _server_blocks(text: str) -> list[str]:
    return re.split(r"\nserver \{", text)[1:]


def test_config_promises():
    text = CONF.read_text()
    http, https = _server_blocks(text)

    assert "client_max_body_size 21m;" in https
    assert "proxy_request_buffering on;" in https
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in https
    assert "alias /srv/jusur/staticfiles/;" in https
    # Plain HTTP redirects everything but the health probe.
    assert re.search(r"location ~ \^/healthz\(/live\|/ready\)\?\$ \{\s*proxy_pass http://jusur_app;", http)
    assert "return 301 https://$host$request_uri;" in http
    assert re.search(r"location /api/ \{[^}]*return 403 ", http)  # the API is not redirected


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed: `make test` installs it (scripts/apt-install.sh)")
def test_nginx_accepts_the_config(tmp_path):
    # The shipped file, with its machine paths moved into a temporary folder and a throwaway certificate.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jusur.example.org",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (
        CONF.read_text()
        .replace("/etc/letsencrypt/live/jusur.example.org/", f"{tmp_path}/")
        .replace("/srv/jusur/", f"{tmp_path}/")
    )
    (tmp_path / "jusur.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/jusur.conf;\n}}\n"
    )

    result = subprocess.run(
        [NGINX, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_django_redirects_plain_http_except_the_health_probe(territories):
    client = Client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/fr/").status_code == 301
    assert client.get("/fr/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
