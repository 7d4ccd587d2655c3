"""Load and faults: many clients at once against the platform served as in production, and a
worker killed in the middle of it.

Serves the platform with ``mercuryhub serve`` (gunicorn, 2 workers, production settings) on
loopback, on SQLite or on PostgreSQL, and lets N client threads, for S seconds, each do one
request after the other, chosen at random (fixed seed) among:

- searches: the search API and the search page;
- page views: home, map, finder, a facility, the library, the events;
- drafts through the API with a bearer token: a new facility (POST) or a change to one of the
  client's own drafts (PATCH with the version it started from);
- sign-ins: the sign-in form (GET, then POST with its CSRF token), paced to stay within the
  platform's limit of sign-ins from one address (30 a minute);
- OpenRosa submissions of the ASGM mining-site baseline (the built-in form ``serve`` deploys in
  the demo project) as ODK Collect sends them: HEAD then multipart POST to the app user's
  ``/v1/key/<token>/projects/demo/submission``, each client a phone with an app user of its own
  (the platform limits submissions per device: FORMS_SUBMISSIONS_PER_MINUTE).

Afterwards every write the server accepted (a 201 or 200 with an id) is looked up in the database
with the content sent. An error is any 5xx, 429, unexpected status or connection failure.
``--kill-worker-at T`` sends SIGKILL to one gunicorn worker T seconds in: the master must start a
new one, no accepted write may be missing, and the requests that fail at the connection after
the kill (those the killed worker held) are counted apart: they were not accepted. An edit of a
draft that got no answer may have been stored before the worker died: its draft may hold either
that edit or the last one answered, and is edited no more (its version is unknown).

Usage (from the repository root):

    mercuryhub bench load --engine sqlite|postgresql [--clients 50] [--seconds 60]
                          [--kill-worker-at 20] [--database-url postgres://...] [--output F]
    python bench/load.py  (the same options)

On PostgreSQL a scratch database is created on the server of --database-url (default
DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards. With
--in-place, --from-data-dir (and on PostgreSQL the database --template-database names) is served
itself, not a copy: for a dataset of `bench scale` too large to copy, used no more afterwards.
Results go to bench/results/load-<engine>-<date>T<hhmm>.json and .md.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import catalogue as base  # noqa: E402 - the environment, summary and machine helpers
from bench import openrosa  # noqa: E402 - the ASGM baseline's answers, sent as ODK Collect does

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-load")  # noqa: S108 - scratch, by design
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load test password 2026"  # noqa: S105 - the scratch users' own, in a scratch database
SIGN_INS_PER_MINUTE = 20  # under allauth's "login" limit of 30 a minute from one address
SEARCH_WORDS = ("mercury", "lamps", "amalgam", "dental", "batteries", "soil", "retort", "gold")
# The share of each kind of request (sign-ins are paced apart, see SIGN_INS_PER_MINUTE).
WEIGHTS = {
    "search_api": 18,
    "search_page": 10,
    "home": 5,
    "map": 5,
    "finder": 5,
    "facility": 5,
    "library": 5,
    "events": 5,
    "draft_create": 10,
    "draft_update": 10,
    "submission": 12,
    "sign_in": 10,
}
WRITES = ("draft_create", "draft_update", "submission")


class ConnectionFailedError(Exception):
    """The request got no answer: the connection was refused, reset or closed."""


# The server -------------------------------------------------------------------------------------


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    environment = base._production_environment(data_dir)
    if database_url:
        environment["DATABASE_URL"] = database_url
    environment["FORMS_ODK_VALIDATE"] = "false"  # the built-in form is checked by its own tests
    return environment


def _wait_until_served(port: int, process, patience_s: float) -> None:
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("The server stopped; see gunicorn.log in the data directory")
        with contextlib.suppress(ConnectionFailedError, TimeoutError):
            if _request(port, "GET", "/api/v1/taxonomy/management-phases")[0] == 200:
                return
        time.sleep(1)
    raise RuntimeError("The server did not answer in time")


def workers(master: int) -> set[int]:
    """The gunicorn workers: the children of the master process."""
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    children.add(int(entry.name))
    return children


@contextlib.contextmanager
def postgresql_database(server_url: str, template: str | None = None):
    """A scratch database on the server of ``server_url`` (a copy of ``template`` if given),
    dropped afterwards; yields its URL."""
    import psycopg

    parts = urllib.parse.urlsplit(server_url)
    name = f"mercuryhub_load_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        copy = f" TEMPLATE {template}" if template else ""
        connection.execute(f"CREATE DATABASE {name}{copy}")
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# HTTP -------------------------------------------------------------------------------------------


def _request(port: int, method: str, target: str, body: bytes = b"", headers=None):
    """One request on a connection of its own (gunicorn's sync workers close it after each
    answer): its status, headers and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, target, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    except (ConnectionError, http.client.HTTPException) as error:
        raise ConnectionFailedError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def _cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


# The scene: who writes, and what there is to read -------------------------------------------------


def _prepare_scene(clients: int) -> dict:
    """An organization with an editor and an API token per client, a few people to sign in, an
    app user of the demo project per client (a phone each), and a published facility to look
    at."""
    from mercuryhub.accounts.actions import do_create_api_token, do_create_organization
    from mercuryhub.accounts.models import User
    from mercuryhub.catalogue.models import Facility
    from mercuryhub.forms import actions as form_actions
    from mercuryhub.forms.models import Form, Project
    from mercuryhub.forms.webform.survey import load_survey

    stamp = secrets.token_hex(3)

    def person(email):
        user = User.objects.create_user(email=email, password=PASSWORD, name=email.split("@")[0])
        user.emailaddress_set.create(email=email, verified=True, primary=True)
        return user

    editor = person(f"editor-{stamp}@load.example")
    organization = do_create_organization(
        editor,
        {"name": f"Load Test Recyclers {stamp}", "stakeholder_type": "private-sector"}
        | {"country": "CHE", "website": "https://recyclers.example"},
    )
    tokens = [do_create_api_token(editor, f"client {n}")[1] for n in range(clients)]
    people = [person(f"person-{n}-{stamp}@load.example").email for n in range(5)]
    project = Project.objects.get(slug=form_actions.DEMO_PROJECT)
    app_users = [
        form_actions.do_create_app_user(None, project, f"Load test phone {n} {stamp}")
        for n in range(clients)
    ]
    form = Form.objects.get(project=project, xml_form_id="asgm_site_baseline")
    version = form.versions.order_by("-created_at").first()
    facility = Facility.objects.filter(published=True).order_by("pk").first()
    return {
        "operator": organization.slug,
        "tokens": tokens,
        "people": people,
        "submissions": [
            f"/v1/key/{app_user.token}/projects/{project.slug}/submission" for app_user in app_users
        ],
        "survey": load_survey(version.survey_json),
        "facility": facility.pk if facility else None,
    }


def _instance(survey, number: int) -> tuple[str, bytes, str]:
    """A new instance of the ASGM baseline: its instanceID, its XML and the site name in it."""
    from mercuryhub.forms.webform.instances import instance_xml

    values = openrosa.site_values(number, "Load")
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = instance_xml(survey, values, instance_id).encode("utf-8")
    return instance_id, xml, values["site_name"]


# The clients ------------------------------------------------------------------------------------


class Ledger:
    """What every client did: each request's kind, status and time, each connection failure, and
    the writes the server accepted with the content sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int, float, float]] = []  # kind, status, ended at, ms
        self.failures: list[tuple[str, str, float]] = []  # kind, error, failed at
        self.unexpected: list[str] = []
        self.drafts: dict[int, dict] = {}  # facility id: the fields it must have now
        self.submissions: dict[str, str] = {}  # instance id: the site name sent
        # facility id: what it holds if its last edit, sent but never answered, was stored
        self.in_doubt: dict[int, dict] = {}
        self.counter = 0

    def number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter


class Client:
    def __init__(self, index: int, port: int, scene: dict, ledger: Ledger, pacer):
        self.port, self.scene, self.ledger, self.pacer = port, scene, ledger, pacer
        self.rng = random.Random(base.SEED + index)  # noqa: S311 - a workload, not a secret
        self.token = scene["tokens"][index]
        self.submission_path = scene["submissions"][index]
        self.drafts: dict[int, int] = {}  # this client's drafts: id -> version

    def timed(self, kind: str, method: str, target: str, *, expect, body=b"", headers=None):
        started = time.perf_counter()
        try:
            status, answer_headers, answer = _request(self.port, method, target, body, headers)
        except (ConnectionFailedError, TimeoutError) as error:
            with self.ledger.lock:
                self.ledger.failures.append((kind, str(error), time.monotonic()))
            return None, None, None
        ended = time.perf_counter()
        with self.ledger.lock:
            self.ledger.requests.append((kind, status, time.monotonic(), (ended - started) * 1000))
            if status not in expect:
                self.ledger.unexpected.append(
                    f"{kind} {method} {target}: {status} {answer[:300]!r}"
                )
        return status, answer_headers, answer

    def run(self, deadline: float) -> None:
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "sign_in" and not self.pacer():
                kind = "search_api"
            getattr(self, kind)()

    # Reads

    def search_api(self):
        word = self.rng.choice(SEARCH_WORDS)
        self.timed("search_api", "GET", f"/api/v1/search?q={word}", expect={200})

    def search_page(self):
        word = self.rng.choice(SEARCH_WORDS)
        self.timed("search_page", "GET", f"/catalogue/search/?q={word}", expect={200})

    def home(self):
        self.timed("home", "GET", "/", expect={200})

    def map(self):
        self.timed("map", "GET", "/catalogue/map/", expect={200})

    def finder(self):
        self.timed("finder", "GET", "/catalogue/finder/", expect={200})

    def facility(self):
        if self.scene["facility"] is None:
            return self.search_api()
        return self.timed(
            "facility", "GET", f"/catalogue/facilities/{self.scene['facility']}/", expect={200}
        )

    def library(self):
        self.timed("library", "GET", "/library/", expect={200})

    def events(self):
        self.timed("events", "GET", "/partnership/events/", expect={200})

    # Writes

    def _json(self, kind, method, target, payload, expect):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        status, _, answer = self.timed(
            kind, method, target, expect=expect, body=json.dumps(payload).encode(), headers=headers
        )
        return status, json.loads(answer) if status in expect else None

    def draft_create(self):
        number = self.ledger.number()
        payload = {
            "name": f"Load test lamp line {number}",
            "operator": self.scene["operator"],
            "country": "CHE",
            "city": f"Wimmis {number}",
            "latitude": 46.68,
            "longitude": 7.64,
            "status": "operating",
            "accepted_wastes": ["lamps"],
        }
        _status, state = self._json("draft_create", "POST", "/api/v1/facilities", payload, {201})
        if state:
            self.drafts[state["id"]] = state["version"]
            with self.ledger.lock:
                self.ledger.drafts[state["id"]] = {"name": payload["name"], "city": payload["city"]}

    def draft_update(self):
        if not self.drafts:
            return self.draft_create()
        entry_id = self.rng.choice(list(self.drafts))
        city = f"Thun {self.ledger.number()}"
        payload = {"version": self.drafts[entry_id], "city": city}
        status, state = self._json(
            "draft_update", "PATCH", f"/api/v1/facilities/{entry_id}", payload, {200}
        )
        if state:
            self.drafts[entry_id] = state["version"]
            with self.ledger.lock:
                self.ledger.drafts[entry_id]["city"] = city
        elif status is None:  # no answer (a killed worker's): the edit may or may not be stored
            del self.drafts[entry_id]  # its version is unknown: edited no more
            with self.ledger.lock:
                self.ledger.in_doubt[entry_id] = {**self.ledger.drafts[entry_id], "city": city}
        return None

    def submission(self):
        number = self.ledger.number()
        instance_id, xml, site_name = _instance(self.scene["survey"], number)
        headers = {"X-OpenRosa-Version": "1.0"}
        status, _, _ = self.timed(
            "submission_head", "HEAD", self.submission_path, expect={204}, headers=headers
        )
        if status != 204:
            return
        body, content_type = openrosa.multipart(xml)
        target = f"{self.submission_path}?deviceID=collect:LoadTest{number}"
        status, _, _ = self.timed(
            "submission",
            "POST",
            target,
            expect={201},
            body=body,
            headers={**headers, "Content-Type": content_type},
        )
        if status == 201:
            with self.ledger.lock:
                self.ledger.submissions[instance_id] = site_name

    def sign_in(self):
        status, headers, page = self.timed("sign_in_form", "GET", "/accounts/login/", expect={200})
        if status != 200:
            return
        cookies = _cookies(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {
            "login": self.rng.choice(self.scene["people"]),
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode() if token else "",
        }
        self.timed(
            "sign_in",
            "POST",
            "/accounts/login/",
            expect={302},
            body=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )


def _warm_up(port: int, scene: dict) -> None:
    """Each page a few times before the clock starts, so that both workers have loaded the code,
    templates and translations a first request loads (not measured)."""
    warm = Client(0, port, scene, Ledger(), lambda: False)
    for _ in range(3):
        for kind in ("search_api", "search_page", "home", "map", "finder", "facility"):
            getattr(warm, kind)()
        for kind in ("library", "events"):
            getattr(warm, kind)()


def _pacer(per_minute: int):
    """True at most ``per_minute`` times a minute, evenly spread."""
    lock, interval, state = threading.Lock(), 60.0 / per_minute, {"next": 0.0}

    def allowed() -> bool:
        with lock:
            now = time.monotonic()
            if now < state["next"]:
                return False
            state["next"] = now + interval
            return True

    return allowed


# Checking the writes ------------------------------------------------------------------------------


def _check_writes(ledger: Ledger) -> dict:
    """Every accepted write, looked up in the database (on a fresh connection if the one held
    through the load has gone stale): missing or different ones listed."""
    from django.db import close_old_connections

    close_old_connections()
    return _compare_writes(ledger)


def _compare_writes(ledger: Ledger) -> dict:
    from mercuryhub.catalogue.models import Facility
    from mercuryhub.forms.models import Submission
    from mercuryhub.review import queries as review_queries

    facilities = Facility.objects.in_bulk(list(ledger.drafts))
    missing, different = [], []
    for entry_id, expected in ledger.drafts.items():
        facility = facilities.get(entry_id)
        if facility is None:
            missing.append(f"facility {entry_id}")
            continue
        data = review_queries.latest_data("facility", facility)
        found = {"name": data.get("name"), "city": data.get("city")}
        if found != expected and found != ledger.in_doubt.get(entry_id):
            different.append(f"facility {entry_id}: sent {expected}, stored {found}")
    stored = dict(
        Submission.objects.filter(instance_id__in=list(ledger.submissions)).values_list(
            "instance_id", "xml"
        )
    )
    for instance_id, site_name in ledger.submissions.items():
        if instance_id not in stored:
            missing.append(f"submission {instance_id}")
        elif f"<site_name>{site_name}</site_name>" not in stored[instance_id]:
            different.append(f"submission {instance_id}: {site_name!r} not in its XML")
    return {
        "accepted_drafts": len(ledger.drafts),
        "accepted_submissions": len(ledger.submissions),
        "edits_never_answered": len(ledger.in_doubt),
        "missing": missing,
        "different": different,
    }


# A run --------------------------------------------------------------------------------------------


def _figures(ledger: Ledger, seconds: float) -> dict:
    kinds = {}
    for kind in dict.fromkeys(kind for kind, *_ in ledger.requests):
        latencies = [ms for name, _, _, ms in ledger.requests if name == kind]
        summary = base._summary(latencies)
        summary["per_s"] = round(len(latencies) / seconds, 1)
        kinds[kind] = summary
    statuses: dict[str, int] = {}
    for _, status, _, _ in ledger.requests:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    everything = [ms for *_, ms in ledger.requests]
    return {
        "requests": len(ledger.requests),
        "per_s": round(len(ledger.requests) / seconds, 1),
        "all": base._summary(everything) if everything else {},
        "kinds": dict(sorted(kinds.items())),
        "statuses": statuses,
    }


def run(
    *,
    engine: str,
    clients: int,
    seconds: float,
    data_dir: Path,
    database_url: str | None = None,
    kill_worker_at: float | None = None,
    patience_s: float = 900,
    say=print,
) -> dict:
    """Serve the platform from ``data_dir`` (prepared by serve if it is not already), on SQLite or
    on ``database_url``, load it and check the writes; the report."""
    if (engine == "postgresql") != bool(database_url):
        raise ValueError("PostgreSQL needs its database URL, SQLite none")
    environment = _environment(data_dir, database_url)
    os.environ.update(environment)
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    port = base._free_port()
    report: dict = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": base.commit(),
        "machine": base._machine(),
        "engine": engine,
        "clients": clients,
        "seconds": seconds,
        "workers": 2,
        "load_average_before": [round(n, 2) for n in os.getloadavg()],
    }
    ledger = Ledger()
    with (
        (data_dir / "gunicorn.log").open("ab") as log,
        base._server(data_dir, port, log, environment, starter_data=True) as process,
    ):
        say("Preparing and starting the server…")
        _wait_until_served(port, process, patience_s)
        import django

        django.setup()
        scene = _prepare_scene(clients)
        _warm_up(port, scene)
        before = workers(process.pid)
        pacer = _pacer(SIGN_INS_PER_MINUTE)
        say(f"{clients} clients for {seconds} s on {engine}…")
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(target=Client(n, port, scene, ledger, pacer).run, args=(deadline,))
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        killed = None
        if kill_worker_at is not None:
            time.sleep(max(0.0, started + kill_worker_at - time.monotonic()))
            victim = min(workers(process.pid))
            killed = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            say(f"Killed worker {victim} at {killed - started:.1f} s")
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        after = workers(process.pid)
        report["load_average_after"] = [round(n, 2) for n in os.getloadavg()]
        report.update(_figures(ledger, elapsed))
        report["unexpected"] = len(ledger.unexpected)
        report["first_unexpected"] = ledger.unexpected[:10]
        if killed is not None:
            report["fault"] = {
                "killed_worker": victim,
                "killed_at_s": round(killed - started, 1),
                "workers_before": sorted(before),
                "workers_after": sorted(after),
                "respawned": len(after) == 2 and victim not in after,
            }
        in_the_kill = [f for f in ledger.failures if killed is not None and f[2] >= killed]
        report["connection_failures"] = len(ledger.failures) - len(in_the_kill)
        report["connection_failures_at_the_kill"] = len(in_the_kill)
        report["first_connection_failures"] = [f"{k}: {e}" for k, e, _ in ledger.failures[:10]]
    report["errors"] = report["unexpected"] + report["connection_failures"]
    report["writes"] = _check_writes(ledger)
    return report


def markdown(report: dict) -> str:
    load = report["load_average_before"]
    lines = [
        f"Load, {report['date']}, commit {report['commit']}, {report['engine']}: "
        f"{report['clients']} clients for {report['seconds']} s against gunicorn with 2 workers; "
        f"load average before {load[0]:.2f}.",
        "",
    ]
    counts = (report.get("dataset") or {}).get("counts")
    if counts:
        held = ", ".join(f"{number:,} {name}" for name, number in counts.items())
        lines += [f"Served in place: a dataset of {held}.", ""]
    lines += [
        "| request | n | per s | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, figures in report["kinds"].items():
        lines.append(
            f"| {kind.replace('_', ' ')} | {figures['n']} | {figures['per_s']}"
            f" | {figures['p50']:.0f} | {figures['p95']:.0f} | {figures['max']:.0f} |"
        )
    overall = report["all"]
    writes = report["writes"]
    lines += [
        f"| **all** | {overall['n']} | {report['per_s']} | {overall['p50']:.0f}"
        f" | {overall['p95']:.0f} | {overall['max']:.0f} |",
        "",
        f"Errors: {report['errors']} (unexpected statuses {report['unexpected']}, connection "
        f"failures {report['connection_failures']}); statuses {report['statuses']}. Writes "
        f"accepted: {writes['accepted_drafts']} drafts, {writes['accepted_submissions']} "
        f"submissions; missing {len(writes['missing'])}, different {len(writes['different'])}.",
    ]
    if "fault" in report:
        fault = report["fault"]
        lines.append(
            f"Worker {fault['killed_worker']} killed at {fault['killed_at_s']} s; respawned: "
            f"{fault['respawned']}; requests failed at the connection after the kill: "
            f"{report['connection_failures_at_the_kill']}."
        )
    return "\n".join(lines) + "\n"


def _mark(data_dir: Path, server_url: str, database: str | None) -> str | None:
    """The mark a benchmark left on the SQLite data directory (its file), or on the PostgreSQL
    database (its comment), with what it generated; None where there is none."""
    if database is None:
        marker = data_dir / base.MARKER
        return base.MARKER + marker.read_text() if marker.exists() else None
    import psycopg

    admin = urllib.parse.urlsplit(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
    return row[0] if row and row[0] and row[0].startswith(base.MARKER) else None


def _made_by_a_benchmark(data_dir: Path, server_url: str, database: str | None) -> bool:
    """Whether the SQLite data directory, or the PostgreSQL database, holds a benchmark's mark
    (``bench scale`` and the other generators mark what they make)."""
    return _mark(data_dir, server_url, database) is not None


def _dataset(data_dir: Path, server_url: str, database: str | None) -> dict | None:
    """What the benchmark that generated the data served in place says it holds (its sizes),
    for the report; None where its mark says nothing readable."""
    mark = _mark(data_dir, server_url, database) or ""
    try:
        found = json.loads(mark.removeprefix(base.MARKER) or "null")
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _scratch_data_dir(data_dir: Path, prepared: Path | None) -> Path:
    """``data_dir`` emptied (only if a benchmark made it), then a copy of ``prepared`` if
    given, marked as the benchmark's."""
    marker = data_dir / base.MARKER
    if data_dir.exists() and any(data_dir.iterdir()) and not marker.exists():
        sys.exit(f"{data_dir} exists and was not created by this benchmark: choose --data-dir")
    shutil.rmtree(data_dir, ignore_errors=True)
    if prepared:
        shutil.copytree(prepared, data_dir, ignore=shutil.ignore_patterns("secret_key"))
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"note": "Scratch data directory of bench/load.py"}) + "\n")
    return data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-worker-at", type=float, default=None)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--from-data-dir",
        type=Path,
        default=None,
        help="SQLite: start from a copy of this prepared data directory",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
        help="PostgreSQL: the server to create the scratch database on",
    )
    parser.add_argument(
        "--template-database", default=None, help="PostgreSQL: start from a copy of this database"
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Serve --from-data-dir (and on PostgreSQL --template-database) itself, not a copy: "
        "the load's writes stay in it (for a dataset too large to copy, used no more)",
    )
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")
    if args.in_place:
        if not args.from_data_dir or (args.engine == "postgresql") != bool(args.template_database):
            parser.error("--in-place needs --from-data-dir, and on PostgreSQL --template-database")
        data_dir = args.from_data_dir.resolve()
        if not _made_by_a_benchmark(data_dir, args.database_url, args.template_database):
            sys.exit("--in-place serves only data a benchmark generated (its mark is missing)")
    else:
        data_dir = _scratch_data_dir(args.data_dir.resolve(), args.from_data_dir)
    options = {
        "engine": args.engine,
        "clients": args.clients,
        "seconds": args.seconds,
        "data_dir": data_dir,
        "kill_worker_at": args.kill_worker_at,
    }
    if args.engine == "postgresql" and args.in_place:
        parts = urllib.parse.urlsplit(args.database_url)
        report = run(
            database_url=parts._replace(path=f"/{args.template_database}").geturl(), **options
        )
    elif args.engine == "postgresql":
        with postgresql_database(args.database_url, args.template_database) as url:
            report = run(database_url=url, **options)
    else:
        report = run(**options)
    report["in_place"] = args.in_place
    if args.in_place:
        report["dataset"] = _dataset(data_dir, args.database_url, args.template_database)
    fault = "-kill" if args.kill_worker_at is not None else ""
    output = args.output or base.results_file(f"load-{args.engine}{fault}")
    base.write_results(output, report, markdown(report))
    print(markdown(report))
    print(f"Written {output} and {output.with_suffix('.md')}")
    writes = report["writes"]
    return 1 if report["errors"] or writes["missing"] or writes["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
