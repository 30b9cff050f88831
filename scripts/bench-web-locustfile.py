"""Locust plan of `make bench-web`: an open workload at a fixed arrival rate.

Locust's users are closed loops: a user waits for its answer before it asks again, so a slow
server is sent fewer requests and its slowness hides itself ("coordinated omission"). Here one
user is only a clock: request i is due at start + i / RATE and is sent at that moment in its own
greenlet, whether or not earlier ones have been answered (wrk2's model). Latency is measured
from the moment a request was *due*, so a load generator that falls behind is counted against
the server, not hidden; how late requests left is reported too.

The three kinds take turns: person search (`/persons/?q=`), person page
(`/persons/<number>/`) and the API person list (`/api/v1/persons/`, half of them with `q`).
Pages use a session cookie, the API a bearer token, both made server-side by scripts/bench-web.
Run by scripts/bench-web, which passes the settings in BENCH_WEB_* variables; the results go
to BENCH_WEB_RESULTS as JSON.
"""

import json
import os
import random
import time
from urllib.parse import quote

import gevent
from locust import FastHttpUser, constant, task

INPUTS = json.loads(open(os.environ["BENCH_WEB_INPUTS"], encoding="utf-8").read())  # noqa: SIM115, PTH123
RATE = float(os.environ["BENCH_WEB_RATE"])
WARMUP = float(os.environ["BENCH_WEB_WARMUP"])
DURATION = float(os.environ["BENCH_WEB_DURATION"])
RESULTS = os.environ["BENCH_WEB_RESULTS"]
KINDS = ("search", "person", "api")
# A page is accepted only if it is the page asked for (not a login page or an error).
MARKERS = {"search": b'id="results"', "person": b"</h1>", "api": b'"results"'}


class OpenWorkload(FastHttpUser):
    wait_time = constant(0)
    concurrency = 400  # connections: enough for every request in flight
    connection_timeout = 10.0
    network_timeout = 30.0

    def on_start(self) -> None:
        self.rng = random.Random(2026)  # noqa: S311 - benchmark inputs, not secrets
        self.samples: list[tuple[str, float, float, float, bool]] = []

    def _request(self, kind: str) -> tuple[str, dict[str, str]]:
        rng = self.rng
        proxy = {"X-Forwarded-Proto": "https"}  # what the TLS proxy adds (docs/deploy.md)
        if kind == "api":
            path = "/api/v1/persons/?page_size=50"
            if rng.random() < 0.5:
                path += "&q=" + quote(rng.choice(INPUTS["queries"]))
            return path, {**proxy, "Authorization": f"Bearer {rng.choice(INPUTS['tokens'])}"}
        cookie = f"{INPUTS['cookie']}={rng.choice(INPUTS['sessions'])}"
        if kind == "search":
            path = "/persons/?q=" + quote(rng.choice(INPUTS["queries"]))
        else:
            path = f"/persons/{quote(rng.choice(INPUTS['persons']))}/"
        return path, {**proxy, "Cookie": cookie}

    def _fire(self, kind: str, due: float, measured: bool) -> None:
        path, headers = self._request(kind)
        started = time.monotonic()
        ok = False
        try:
            with self.client.get(
                path, headers=headers, name=kind, allow_redirects=False, catch_response=True
            ) as response:
                ok = response.status_code == 200 and MARKERS[kind] in (response.content or b"")
                if not ok:
                    response.failure(f"{response.status_code} {path[:60]}")
        except Exception:  # noqa: BLE001 - a dropped connection is a failed request, counted
            ok = False
        if measured:
            self.samples.append((kind, due, started, time.monotonic(), ok))

    @task
    def drive(self) -> None:
        total = int(RATE * (WARMUP + DURATION))
        start = time.monotonic() + 0.2
        flights = []
        for i in range(total):
            due = start + i / RATE
            delay = due - time.monotonic()
            if delay > 0:
                gevent.sleep(delay)
            measured = due - start >= WARMUP
            kind = KINDS[i % 3]
            flights.append((gevent.spawn(self._fire, kind, due, measured), kind, due, measured))
        gevent.joinall([flight for flight, *_rest in flights], timeout=120)
        # Still unanswered two minutes after the last was sent: failures, their latency so far.
        now = time.monotonic()
        for flight, kind, due, measured in flights:
            if not flight.ready():
                flight.kill(block=False)
                if measured:
                    self.samples.append((kind, due, due, now, False))
        with open(RESULTS, "w", encoding="utf-8") as handle:  # noqa: PTH123
            json.dump({"rate": RATE, "duration": DURATION, "samples": self.samples}, handle)
        self.environment.runner.quit()
