"""The locust clients of `python -m bench.web` (not run on its own: its name starts with `_`, so
`make bench` skips it). Each simulated client loops over its pages with no pause (a closed
loop), over HTTPS to the local nginx; the runner passes what each page needs and names the one
class of client it loads at a time."""

import os

from locust import FastHttpUser, constant, task

TOKEN = os.environ["BENCH_WEB_TOKEN"]
SESSION_COOKIE = os.environ["BENCH_WEB_SESSION_COOKIE"]
SESSION = os.environ["BENCH_WEB_SESSION"]
NEED = os.environ["BENCH_WEB_NEED"]


class _Client(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    insecure = True  # the throwaway certificate of the local nginx
    connection_timeout = 30.0
    network_timeout = 30.0

    def _get(self, path: str, name: str, headers: dict | None = None) -> None:
        # Only a 200 counts: a redirect (to the sign-in page, say) would measure another page.
        with self.client.get(path, name=name, headers=headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


class PublicVisitor(_Client):
    """An anonymous visitor (it keeps the CSRF cookie it is given, as a browser does, and sends
    no If-None-Match: every answer is a full page)."""

    @task
    def roadmap(self):
        self._get("/fr/regions/05/roadmap/", "roadmap")

    @task
    def region(self):
        self._get("/fr/regions/05/", "region")

    @task
    def need(self):
        self._get(f"/fr/regions/05/needs/{NEED}/", "need")


class Partner(_Client):
    @task
    def api_needs(self):
        self._get("/api/v1/needs/?limit=50", "api", {"Authorization": f"Bearer {TOKEN}"})


class Official(_Client):
    @task
    def dashboard(self):
        # The official's own region dashboard, with a session that completed the second step.
        self._get("/fr/dashboards/region/05/", "dashboard", {"Cookie": f"{SESSION_COOKIE}={SESSION}"})
