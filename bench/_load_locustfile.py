"""The virtual users of bench/load.py (a Locust file; run by `run_load` in bench/_load_run.py, never imported by the
orchestrating process, so gevent patches only the Locust subprocess).

Each virtual user belongs to one random organisation n (of BENCH_LOAD_ORGS) and is its leader or, one time in
three, its mentor. It talks to gunicorn at 127.0.0.1 with the Host header `org-<n>.localhost:<port>` (`*.localhost`
does not resolve through this machine's resolver; the routing sees exactly what a browser would send). Journeys:

    sign in        the allauth form: GET it (CSRF cookie and token), POST email and password, land on the home page
                   (every user signs in once at the start; later, now and then, signs out and in again)
    read lesson    one lesson page of the shipped curriculum
    write+search   leader: the new-entry form, save an entry carrying a fresh token and the organisation's marker,
                   then search the journal for the token and find it (the token is then remembered as written)
    mentor reads   mentor: the mentoring page, then the entry the leader shared, which carries the marker

Every page read is checked: it must show the organisation's own marker (its name is in every page's header) and
no other organisation's. A page showing another's is a crossing: the request fails and the crossing is logged.
Every request (and every journey, as request type "journey") is appended to BENCH_LOAD_EVENTS as one JSON line
{"t": unix time at the end, "type", "name", "ms", "ok", "error"}; every write answered with success to
BENCH_LOAD_WRITES as {"t", "org", "token", "entry"}; every crossing to BENCH_LOAD_CROSSINGS.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from locust import events, task
from locust.contrib.fasthttp import FastHttpUser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load_seed import (
    MARKER_RE,
    SHARED_TITLE,
    leader_email,
    marker,
    mentor_email,
    organisation_host,
    written_title,
)

ORGS = int(os.environ["BENCH_LOAD_ORGS"])
PORT = os.environ["BENCH_LOAD_PORT"]
PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
LESSONS: list[str] = json.loads(os.environ["BENCH_LOAD_LESSONS"])
MENTOR_SHARE = 1 / 3

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENTRY_LINK_RE = re.compile(r'href="/journal/(\d+)/"')

_files = {name: open(os.environ[name], "a", buffering=1) for name in
          ("BENCH_LOAD_EVENTS", "BENCH_LOAD_WRITES", "BENCH_LOAD_CROSSINGS")}


def _log(name: str, record: dict[str, Any]) -> None:
    _files[name].write(json.dumps(record) + "\n")


@events.request.add_listener
def _request_logged(request_type: str, name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    _log("BENCH_LOAD_EVENTS", {"t": round(time.time(), 3), "type": request_type, "name": name,
                               "ms": round(response_time, 1), "ok": exception is None,
                               "error": None if exception is None else str(exception)[:200]})


class JourneyFailed(Exception):
    pass


class Person(FastHttpUser):
    # Between journeys a person reads for a while (1-3 s), so each virtual user is a modest, real-looking visitor.
    def wait_time(self) -> float:
        return random.uniform(1.0, 3.0)

    host = f"http://127.0.0.1:{PORT}"
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.org = random.randrange(ORGS)
        self.mark = marker(self.org)
        self.is_mentor = random.random() < MENTOR_SHARE
        self.email = mentor_email(self.org) if self.is_mentor else leader_email(self.org)
        self.headers = {"Host": f"{organisation_host(self.org)}:{PORT}"}
        self.signed_in = False
        self._journey("sign in", self._sign_in)

    # --- one request, checked ---------------------------------------------------------------------------------

    def _page(self, method: str, path: str, name: str, *, data: dict[str, str] | None = None,
              expect: str | None = None, expect_path: str | None = None, absent: str | None = None) -> str:
        with self.client.request(method, path, name=name, data=data, headers=self.headers,
                                 catch_response=True) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                raise JourneyFailed(name)
            found = {int(n) for n in MARKER_RE.findall(body)}
            others = sorted(found - {self.org})
            if others:
                _log("BENCH_LOAD_CROSSINGS", {"t": time.time(), "org": self.org, "seen": others, "page": name,
                                              "path": path})
                response.failure(f"crossing: org {self.org} saw {others[:5]}")
                raise JourneyFailed(name)
            if self.org not in found:
                response.failure("own organisation's marker missing")
                raise JourneyFailed(name)
            if expect is not None and expect not in body:
                response.failure(f"expected text missing: {expect[:40]}")
                raise JourneyFailed(name)
            if absent is not None and absent in body:
                response.failure(f"text that should be absent is there: {absent[:40]}")
                raise JourneyFailed(name)
            if expect_path is not None and not (response.url or "").split("?")[0].endswith(expect_path):
                response.failure(f"landed on {response.url}, not {expect_path}")
                raise JourneyFailed(name)
            self.last_url = response.url or ""
            response.success()
            return body

    def _csrf(self, body: str) -> str:
        found = CSRF_RE.search(body)
        if not found:
            raise JourneyFailed("no CSRF token on the form")
        return found.group(1)

    @contextmanager
    def _timed(self, name: str) -> Any:
        started = time.perf_counter()
        error: Exception | None = None
        try:
            yield
        except JourneyFailed as failed:
            error = failed
        except Exception as failed:  # a broken connection: counted, and the user carries on
            error = failed
        events.request.fire(request_type="journey", name=name, response_time=(time.perf_counter() - started) * 1000,
                            response_length=0, exception=error, context={})

    def _journey(self, name: str, work: Any) -> None:
        with self._timed(name):
            work()

    # --- journeys ---------------------------------------------------------------------------------------------

    def _sign_in(self) -> None:
        self.signed_in = False
        form = self._page("GET", "/accounts/login/", "sign in: form")
        self._page("POST", "/accounts/login/", "sign in: submit", data={
            "csrfmiddlewaretoken": self._csrf(form), "login": self.email, "password": self.password_for(),
        }, expect='href="/accounts/logout/"', expect_path="/")
        self.signed_in = True

    def password_for(self) -> str:
        return PASSWORD

    def _ensure_signed_in(self) -> None:
        if not self.signed_in:
            self._sign_in()

    @task(1)
    def sign_out_and_in(self) -> None:
        def work() -> None:
            if self.signed_in:
                confirm = self._page("GET", "/accounts/logout/", "sign out: form")
                self._page("POST", "/accounts/logout/", "sign out: submit",
                           data={"csrfmiddlewaretoken": self._csrf(confirm)}, expect='href="/accounts/login/')
            self._sign_in()
        self._journey("sign in", work)

    @task(4)
    def read_lesson(self) -> None:
        def work() -> None:
            self._ensure_signed_in()
            self._page("GET", random.choice(LESSONS), "lesson")
        self._journey("read lesson", work)

    @task(3)
    def write_or_read_shared(self) -> None:
        if self.is_mentor:
            self._journey("mentor reads shared", self._mentor_reads)
        else:
            self._journey("write and search", self._write_and_search)

    def _write_and_search(self) -> None:
        self._ensure_signed_in()
        token = f"lw{self.org:05d}q{secrets.token_hex(5)}"
        form = self._page("GET", "/journal/new/", "journal: new form")
        saved = self._page("POST", "/journal/new/", "journal: save", data={
            "csrfmiddlewaretoken": self._csrf(form), "title": written_title(token), "template": "free",
            "body": f"A shift worth writing down. {token} {self.mark}", "behaviours": "attending",
        }, expect=token)
        entry = re.search(r"/journal/(\d+)/$", self.last_url.split("?")[0])
        if entry is None or token not in saved:
            raise JourneyFailed(f"saving did not land on the entry: {self.last_url}")
        # Answered with success: the entry's page, carrying the token. It must be in the database from now on.
        _log("BENCH_LOAD_WRITES", {"t": time.time(), "org": self.org, "token": token, "entry": int(entry.group(1))})
        journal = self._page("GET", "/journal/", "journal: list")
        self._page("POST", "/journal/", "journal: search", data={
            "csrfmiddlewaretoken": self._csrf(journal), "q": token,
        }, expect=token, absent=SHARED_TITLE)  # found by the search, not merely listed: the other entry is gone

    def _mentor_reads(self) -> None:
        self._ensure_signed_in()
        mentoring = self._page("GET", "/mentoring/", "mentor: mentoring")
        links = ENTRY_LINK_RE.findall(mentoring)
        if not links:
            raise JourneyFailed("no shared entry on the mentoring page")
        self._page("GET", f"/journal/{links[0]}/", "mentor: shared entry", expect=SHARED_TITLE)
