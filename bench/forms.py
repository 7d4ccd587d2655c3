"""Forms benchmark: exporting and summarizing a form's submissions.

Publishes the built-in WMA needs questionnaire (``forms.actions.do_deploy_builtin_forms``) into
a SQLite database of its own and stores N submissions of it (fixed seed): each instance written
by the web form's ``instance_xml`` and read back by the server's ``parse_instance``, as a device's
would be, then stored in batches (``bulk_create``; ``do_receive_submission`` one by one would
take an hour and measure the wrong thing). Then times, in-process with DEBUG off, through
Django's test client as a project manager: the CSV export (``export.csv``, streamed; every
byte read), the XLSX export and the summary page, each once.

Usage (from the repository root):

    mercuryhub bench forms [--submissions 100000] [--data-dir /tmp/mercuryhub-bench-forms]
    python bench/forms.py  (the same options)

Raw figures go to bench/results/forms-<date>T<hhmm>.json and .md.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import catalogue as base  # noqa: E402 - the machine's description, the scratch dir

DEFAULT_DATA_DIR = Path("/tmp/mercuryhub-bench-forms")  # noqa: S108 - a scratch directory
SEED = 12
TARGET_CSV_S = 60.0
BATCH = 2_000


def _claim(data_dir: Path):
    database = data_dir / "mercuryhub.sqlite3"
    marker = data_dir / base.MARKER
    if database.exists() and not marker.exists():
        sys.exit(f"{database} exists and was not created by this benchmark: choose --data-dir")
    data_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.write_text(json.dumps({"note": "Synthetic data of bench/forms.py"}) + "\n")


def _generate(count: int) -> tuple[object, object]:
    from mercuryhub.accounts.models import User
    from mercuryhub.forms import actions
    from mercuryhub.forms.analysis import survey_of
    from mercuryhub.forms.instances import parse_instance
    from mercuryhub.forms.models import Submission
    from mercuryhub.forms.webform.instances import instance_xml

    version = next(
        v for v, _new in actions.do_deploy_builtin_forms() if v.form.xml_form_id == "wma_needs"
    )
    form = version.form
    manager = User.objects.create_user(email="bench.manager@example.org", password=None)
    actions.do_set_project_member(None, form.project, manager.email, "manager")
    app_user = actions.do_create_app_user(None, form.project, "Bench team")
    survey = survey_of(form)
    choices = {q.path: [c.name for c in q.choices] for q in survey.walk() if q.choices}
    rng = random.Random(SEED)
    states = ["received"] * 6 + ["approved"] * 3 + ["rejected"]
    batch = []
    for index in range(count):
        values = {
            "stakeholder_type": rng.choice(choices["stakeholder_type"]),
            "organization": f"Organization {index}",
            "region": rng.choice(choices["region"]),
            "waste_categories": rng.sample(choices["waste_categories"], rng.randint(1, 4)),
            "phases": rng.sample(choices["phases"], rng.randint(1, 3)),
            "support_types": rng.sample(choices["support_types"], rng.randint(1, 3)),
            "needs_description": "Interim storage of collected lamps and thermometers",
            "consent_exchange": rng.choice(["yes", "no"]),
        }
        xml = instance_xml(survey, values, f"uuid:bench-{SEED}-{index}").encode()
        instance = parse_instance(xml)
        batch.append(
            Submission(
                form=form,
                form_version=version,
                instance_id=instance.instance_id,
                xml=instance.xml,
                xml_sha256=instance.sha256,
                data=instance.data,
                submitted_by_app_user=app_user,
                review_state=rng.choice(states),
            )
        )
        if len(batch) == BATCH:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return form, manager


def _timed_get(client, path: str) -> dict:
    started = time.perf_counter()
    response = client.get(path, secure=True, HTTP_HOST="127.0.0.1")
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    seconds = time.perf_counter() - started
    return {"status": response.status_code, "seconds": round(seconds, 2), "bytes": size}


def _markdown(report: dict) -> str:
    count = report["arguments"]["submissions"]
    lines = [
        f"# Forms benchmark, {report['date']}",
        "",
        f"{count:,} submissions of the WMA needs questionnaire "
        f"({report['exported_rows']:,} exported: received and approved); "
        f"generation {report['generation_s']} s.",
        "",
        "| measure | seconds | rows/s | size |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, result in report["measures"].items():
        rate = result.get("rows_per_s", "")
        lines.append(f"| {name} | {result['seconds']} | {rate} | {result['bytes'] / 1e3:,.0f} kB |")
    lines.append("")
    lines.append(f"Target: CSV export of 100,000 submissions under {TARGET_CSV_S:.0f} s.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--output", type=Path, help="JSON results file (default bench/results/)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    _claim(data_dir)
    os.environ.update(base._production_environment(data_dir))
    os.environ.pop("DATABASE_URL", None)
    os.environ["FORMS_ODK_VALIDATE"] = "false"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    database = Path(settings.DATABASES["default"]["NAME"])
    if database.parent != data_dir:
        sys.exit(f"Refusing to run on {database}: expected a database in {data_dir}")
    report: dict = {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": base._machine(),
        "arguments": {"submissions": args.submissions, "seed": SEED},
        "settings": {"debug": False},
    }
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    form, manager = _generate(args.submissions)
    report["generation_s"] = round(time.perf_counter() - started, 1)
    report["database_mb"] = round(database.stat().st_size / 1e6, 1)
    exported = form.submissions.exclude(review_state="rejected").count()
    report["exported_rows"] = exported
    client = Client()
    client.force_login(manager)
    page = f"/projects/{form.project.slug}/forms/{form.xml_form_id}/"
    report["load_average"] = {"before": os.getloadavg()}
    with base.production_settings():
        measures = {
            "CSV export": _timed_get(client, page + "export.csv"),
            "CSV export, labels": _timed_get(client, page + "export.csv?values=labels"),
            "XLSX export": _timed_get(client, page + "export.xlsx"),
            "summary page": _timed_get(client, page + "summary/"),
        }
    report["load_average"]["after"] = os.getloadavg()
    for name, result in measures.items():
        if name != "summary page":
            result["rows_per_s"] = round(exported / result["seconds"])
    report["measures"] = measures
    table = _markdown(report)
    print(table)
    output = args.output or base.results_file("forms")
    base.write_results(output, report, table)
    print(f"Results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
