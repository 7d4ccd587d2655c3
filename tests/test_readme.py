"""The README tells an operator about every environment variable the settings read."""

import re
from pathlib import Path

import mercuryhub

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Path(mercuryhub.__file__).parent / "settings.py"

_ENV_CALL = re.compile(r"""\benv_(\w+)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
_OS_ENVIRON = re.compile(
    r"""os\.(?:environ\.get\(|environ\[|getenv\(|environ\.setdefault\()\s*["']([A-Z][A-Z0-9_]*)"""
)


def _variables_read_by_settings():
    source = SETTINGS.read_text(encoding="utf-8")
    names = set(_OS_ENVIRON.findall(source))
    for helper, name in _ENV_CALL.findall(source):
        names.add(name)
        if helper == "secret":  # env_secret also reads the file named by NAME_FILE
            names.add(f"{name}_FILE")
    return names


def test_it_finds_the_variables_settings_read():
    names = _variables_read_by_settings()

    assert {"DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "SITE_URL"} <= names


def test_the_readme_documents_every_variable_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    undocumented = sorted(
        name for name in _variables_read_by_settings() if f"`{name}`" not in readme
    )

    assert undocumented == [], f"README.md does not mention {', '.join(undocumented)}"


def test_the_readmes_export_lines_offer_what_the_command_accepts():
    from mercuryhub.catalogue.management.commands.export import Command

    parser = Command().create_parser("mercuryhub", "export")
    choices = {action.dest: set(action.choices) for action in parser._actions if action.choices}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [
        line.strip()
        for line in readme.splitlines()
        if line.strip().startswith("mercuryhub export ")
    ]
    formats = {word for line in lines for word in re.findall(r"--format ([a-z|]+)", line)}
    written = {word for line in lines for word in re.findall(r"[a-z_]+", line)}

    assert choices["what"] <= written
    assert {value for group in formats for value in group.split("|")} == choices["file_format"]
