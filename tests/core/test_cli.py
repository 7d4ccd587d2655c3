"""The ``mercuryhub`` console command, run as an operator runs it: in a fresh interpreter."""

import subprocess
import sys
from importlib.metadata import version

import django


def _mercuryhub(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "mercuryhub.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_it_lists_mercuryhubs_own_commands_first_with_one_line_each():
    lines = _mercuryhub("--help").stdout.splitlines()

    own = {}
    for line in lines[lines.index("MercuryHub's commands:") + 1 :]:
        if not line.strip():
            break
        name, summary = line.split(maxsplit=1)
        own[name] = summary
    assert set(own) == {
        "backup",
        "bench",
        "collect-user",
        "evaluate_matching",
        "export",
        "extract_documents",
        "import",
        "import_submissions",
        "load_mercury_ratios",
        "load_inventory_factors",
        "load_nap_reference",
        "load_reference_data",
        "load_working_groups",
        "open_review_reports",
        "opendata",
        "reindex",
        "restore",
        "send_need_alerts",
        "send_partner_digests",
        "send_queued_mail",
        "send_report_reminders",
        "send_review_digest",
        "serve",
        "token",
        "write_builtin_forms",
    }
    assert own["serve"] == (
        "Prepare the database (migrate, load reference and starter data) and serve MercuryHub."
    )
    assert own["export"].startswith("Write the published facilities, offerings or experts")
    django_commands = [line.strip() for line in lines[lines.index("[django]") + 1 :]]
    assert "migrate" in django_commands
    assert "serve" not in django_commands
    assert lines.index("MercuryHub's commands:") < lines.index("[django]")


def test_it_prints_mercuryhubs_version_not_djangos():
    output = _mercuryhub("--version").stdout.strip()

    assert output == version("mercuryhub")
    assert output != django.get_version()


def test_it_still_lists_every_command_name_for_shell_completion():
    names = _mercuryhub("help", "--commands").stdout.split()

    assert {"serve", "export", "migrate", "createsuperuser"} <= set(names)
