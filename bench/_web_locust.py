"""The locust clients of `python -m bench.web` (not run on its own: its name starts with `_`, so
`make bench` skips it). Each simulated client loops over the three pages with no pause (a
closed loop), over HTTPS to the local nginx; the runner passes what each page needs."""

import os

from locust import FastHttpUser, constant, task

TOKEN = os.environ["BENCH_WEB_TOKEN"]
SESSION_COOKIE = os.environ["BENCH_WEB_SESSION_COOKIE"]
SESSION = os.environ["BENCH_WEB_SESSION"]


class PortalUser(FastHttpUser):
    wait_time = constant(0)
    insecure = True  # the throwaway certificate of the local nginx
    connection_timeout = 30.0
    network_timeout = 30.0

    def _get(self, path: str, name: str, headers: dict | None = None) -> None:
        # Only a 200 counts: a redirect (to the sign-in page, say) would measure another page.
        with self.client.get(path, name=name, headers=headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task
    def roadmap(self):
        self._get("/fr/regions/05/roadmap/", "roadmap")

    @task
    def api_needs(self):
        self._get("/api/v1/needs/?limit=50", "api", {"Authorization": f"Bearer {TOKEN}"})

    @task
    def dashboard(self):
        # The official's own region dashboard, with a session that completed the second step.
        self._get("/fr/dashboards/region/05/", "dashboard", {"Cookie": f"{SESSION_COOKIE}={SESSION}"})
