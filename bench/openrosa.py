"""OpenRosa ingest benchmark: submissions received per second as ODK Collect sends them.

Serves the platform as in production (``mercuryhub serve``: gunicorn, 2 workers) on a scratch
SQLite database, creates a project, an app user and the built-in ASGM mining-site baseline in
it, then sends N distinct instances of that form from several client threads on loopback, each
exactly as ODK Collect does: ``HEAD .../submission`` then a multipart ``POST
.../submission?deviceID=…`` with ``xml_submission_file``, the ``X-OpenRosa-Version: 1.0`` header
on both. The requests are written out before the clock starts and sent on plain sockets, so
that the load generator takes little of the machine (as wrk would). Reports submissions per
second (wall clock, first request to last answer), p50/p95/p99 latency of each HEAD + POST
pair and of the POST alone, and the errors (any answer but 201).

Usage (from the repository root):

    mercuryhub bench openrosa [--submissions 2000] [--clients 8] [--data-dir DIR] [--output F]
    python bench/openrosa.py  (the same options)

Raw figures go to bench/results/openrosa-<date>T<hhmm>.json and .md. Target: >= 200/s.
"""

import argparse
import http.client
import json
import os
import socket
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import catalogue as base  # noqa: E402 - the server, environment and machine helpers

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-openrosa")  # noqa: S108 - scratch, by design
TARGET_PER_S = 200.0
DEVICE = "collect:BenchXy12AbCdEf34"
HEADERS = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2024.3 bench"}


def _claim(data_dir: Path) -> None:
    database = data_dir / "mercuryhub.sqlite3"
    marker = data_dir / base.MARKER
    if database.exists() and not marker.exists():
        sys.exit(f"{database} exists and was not created by this benchmark: choose --data-dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.write_text(json.dumps({"note": "Scratch database of bench/openrosa.py"}) + "\n")


def _wait_until_served(port: int, process, patience_s: float) -> None:
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("The server stopped; see gunicorn.log in the data directory")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/taxonomy/management-phases")
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(2)
    sys.exit("The server did not answer in time")


def site_values(number: int, label: str) -> dict:
    """The answers of the ASGM mining-site baseline for site ``number`` (its name: "<label> site
    <number>")."""
    from mercuryhub.forms.webform.answers import GeoPoint

    return {
        "site_name": f"{label} site {number}",
        "site_code": f"{label.upper()}-{number:06d}",
        "location": GeoPoint(Decimal("-3.06") + Decimal(number % 100) / 1000, Decimal("28.18")),
        "region": "africa",
        "country": "COD",
        "deposit_type": "hard_rock" if number % 2 else "alluvial",
        "miners": 100 + number % 900,
        "women": number % 200,
        "processing_methods": ["gravity", "amalgamation"],
        "amalgamation": "whole_ore",
        "retort_use": "never",
        "burning_place": ["open_air"],
        "mercury_kg_per_month": Decimal("4.5"),
        "health_observations": "Tremors reported by two processors.",
    }


def _prepare(count: int, slug: str = "openrosa-bench") -> tuple[str, list[bytes]]:
    """The project, app user and form; the submission address and N distinct instances."""
    from mercuryhub.forms import actions
    from mercuryhub.forms.builtin_forms import BUILTIN_DIR
    from mercuryhub.forms.webform.instances import instance_xml
    from mercuryhub.forms.webform.survey import load_survey

    project = actions.do_create_project(None, f"OpenRosa bench {slug}", slug=slug)
    app_user = actions.do_create_app_user(None, project, "Bench phones")
    path = BUILTIN_DIR / "asgm_site_baseline.xlsx"
    version = actions.do_publish_xlsform(None, project, path.name, path.read_bytes())
    survey = load_survey(version.survey_json)
    instances = []
    for number in range(count):
        xml = instance_xml(survey, site_values(number, "Bench"), f"uuid:{uuid.uuid4()}")
        instances.append(xml.encode("utf-8"))
    return f"/v1/key/{app_user.token}/projects/{project.slug}/submission", instances


def multipart(xml: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="xml_submission_file"; '
            'filename="instance.xml"\r\n'
            "Content-Type: text/xml\r\n\r\n"
        ).encode()
        + xml
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _request(method: str, target: str, port: int, body: bytes = b"", **headers) -> bytes:
    """An HTTP/1.1 request as ODK Collect's OkHttp sends it, ready to write to the socket."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in {**HEADERS, **headers}.items()]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send ``request`` on a new connection and read the answer to its end (gunicorn's sync
    workers close the connection after each answer); its status and its bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(request)
        parts = []
        while chunk := connection.recv(65536):
            parts.append(chunk)
    answer = b"".join(parts)
    try:
        return int(answer.split(b" ", 2)[1]), answer
    except (IndexError, ValueError):
        return 0, answer


def _send(port: int, address: str, instances: list[bytes], clients: int) -> dict:
    """Each client thread sends its share of the pairs HEAD + POST, one after the other. The
    requests are written out before the clock starts, so that the load generator costs little
    of the machine's two cores (as wrk's would): what is measured is the server."""
    head = _request("HEAD", address, port)
    posts = []
    for xml in instances:
        body, content_type = multipart(xml)
        target = f"{address}?deviceID={DEVICE}"
        posts.append(_request("POST", target, port, body, **{"Content-Type": content_type}))
    pairs_ms, posts_ms, errors, lock = [], [], [], threading.Lock()
    queue = iter(range(len(posts)))

    def client():
        while True:
            with lock:
                index = next(queue, None)
            if index is None:
                return
            try:
                started = time.perf_counter()
                head_status, _ = _exchange(port, head)
                posted = time.perf_counter()
                post_status, answer = _exchange(port, posts[index])
                ended = time.perf_counter()
            except OSError as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                pairs_ms.append((ended - started) * 1000)
                posts_ms.append((ended - posted) * 1000)
                if head_status != 204 or post_status != 201:
                    errors.append(f"HEAD {head_status}, POST {post_status}: {answer[:300]!r}")

    elapsed = base._run_threads([threading.Thread(target=client) for _ in range(clients)])
    return {
        "submissions": len(instances),
        "clients": clients,
        "elapsed_s": round(elapsed, 2),
        "per_second": round(len(instances) / elapsed, 1),
        "head_and_post_ms": base._summary(pairs_ms),
        "post_ms": base._summary(posts_ms),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def _markdown(report: dict) -> str:
    result = report["result"]
    lines = [
        f"OpenRosa ingest, {report['date']}, commit {report['commit']}: "
        f"{result['submissions']} submissions from {result['clients']} client threads, "
        f"gunicorn with 2 workers on SQLite.",
        "",
        "| measure | n | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in ("head_and_post_ms", "post_ms"):
        figures = result[name]
        lines.append(
            f"| {name.removesuffix('_ms').replace('_', ' ').upper()} | {figures['n']}"
            f" | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f}"
            f" | {figures['max']:.1f} |"
        )
    met = "met" if result["per_second"] >= TARGET_PER_S else "**not met**"
    lines += [
        "",
        f"Throughput: **{result['per_second']} submissions/s** ({result['elapsed_s']} s); "
        f"errors: {result['errors']}; target >= {TARGET_PER_S:.0f}/s: {met}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8, help="Concurrent client threads")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    _claim(data_dir)
    os.environ.update(base._production_environment(data_dir))
    os.environ.pop("DATABASE_URL", None)
    os.environ["FORMS_ODK_VALIDATE"] = "false"  # the form is checked by its own tests

    port = base._free_port()
    with (
        (data_dir / "gunicorn.log").open("wb") as log,
        base._server(data_dir, port, log) as process,
    ):
        _wait_until_served(port, process, patience_s=600)
        import django

        django.setup()
        from django.conf import settings

        if Path(settings.DATABASES["default"]["NAME"]).parent != data_dir:
            sys.exit("Refusing to run on a database outside the data directory")
        address, instances = _prepare(args.submissions)
        print(f"Sending {len(instances)} submissions from {args.clients} clients…", flush=True)
        result = _send(port, address, instances, args.clients)
        from mercuryhub.forms.models import Submission

        result["stored"] = Submission.objects.filter(form__project__slug="openrosa-bench").count()

    commit = base.commit()
    report = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": base._machine(),
        "target_per_s": TARGET_PER_S,
        "result": result,
    }
    output = args.output or base.results_file("openrosa")
    base.write_results(output, report, _markdown(report))
    print(_markdown(report))
    print(f"Written {output} and {output.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
