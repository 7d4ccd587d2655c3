"""Every interface string is translated into the five other languages: a test fails when a
string of the code or the templates has no translation, or only a guessed (fuzzy) one."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "mercuryhub"
LANGUAGES = ["fr", "es", "ru", "zh_Hans", "ar"]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext (msgfmt, xgettext) is needed: apt-get install gettext",
)


def _entries(po: Path) -> dict[str, list[str]]:
    """msgid → its msgstr texts, from a .po file (continuation lines joined)."""
    entries, current, field = {}, None, None
    fuzzy = False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            current = {"msgid": _string(line[6:]), "msgstr": [], "fuzzy": fuzzy}
            field, fuzzy = "msgid", False
        elif line.startswith("msgid_plural "):
            field = "plural"
            current["plural"] = True
        elif line.startswith("msgstr"):
            current["msgstr"].append(_string(line.split(" ", 1)[1]))
            field = "msgstr"
            entries[current["msgid"]] = current
        elif line.startswith('"') and current is not None:
            if field == "msgid":
                current["msgid"] += _string(line)
            elif field == "msgstr":
                current["msgstr"][-1] += _string(line)
    entries.pop("", None)  # the header
    return entries


def _translated(po: Path) -> dict[str, list[str]]:
    """msgid → its translations; none for a guessed (fuzzy) one."""
    return {msgid: [] if e["fuzzy"] else e["msgstr"] for msgid, e in _entries(po).items()}


def _string(quoted: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), quoted.strip()[1:-1]
    )


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_has_a_translation(tmp_path, language):
    copy = tmp_path / "mercuryhub"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            language,
            "--no-location",
            "-i",
            "*/migrations/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "mercuryhub.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    wanted = _translated(copy / "locale" / language / "LC_MESSAGES" / "django.po")
    shipped = _translated(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po")
    missing = sorted(
        msgid for msgid in wanted if not any(text.strip() for text in shipped.get(msgid, []))
    )
    assert missing == []


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_translations_say_what_their_source_says(language):
    import gettext

    po = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(
        [shutil.which("msgfmt"), "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    with (po.with_suffix(".mo")).open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, entry in _entries(po).items()
        if not entry.get("plural") and catalog.gettext(msgid) != entry["msgstr"][0]
    ]
    assert stale == []
