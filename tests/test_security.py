"""What the repository itself must hold or not: a security token in every form that posts, and
no secret (private key, hard-coded secret key, password) in any tracked file."""

import re
import shutil
import subprocess  # noqa: S404 - git, on this checkout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "mercuryhub"
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.I | re.S)
SECRETS = {
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    # A key that does not say it is for tests or development only.
    "a hard-coded SECRET_KEY": re.compile(
        r"SECRET_KEY\s*=\s*[\"'](?![^\"']*(?:test|development))[^\"']{20,}[\"']"
    ),
    "an AWS access key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "a GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    "a password in a URL": re.compile(r"(?:postgres|redis|smtp)s?://[^:/\s\"']+:[^@/\s\"']+@"),
}


@pytest.mark.parametrize(
    "template",
    sorted(SOURCE.glob("*/templates/**/*.html")),
    ids=lambda path: str(path.relative_to(SOURCE)),
)
def test_every_form_that_posts_carries_the_csrf_token(template):
    text = template.read_text(encoding="utf-8")
    for body in POST_FORM.findall(text):
        assert "{% csrf_token %}" in body, f"{template.name}: a form posting without csrf_token"


def _tracked_files():
    git = shutil.which("git")
    assert git, "git is needed to list the tracked files"
    listed = subprocess.run(  # noqa: S603 - git on this checkout
        [git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_tracked_file_holds_a_secret():
    files = _tracked_files()
    assert len(files) > 100
    found = []
    for path in files:
        if not path.is_file() or path.suffix in {".mo", ".png", ".jpg", ".xlsx", ".docx", ".pdf"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for line in text.splitlines():
            found += [
                f"{path.relative_to(ROOT)}: {what}"
                for what, rx in SECRETS.items()
                if rx.search(line)
            ]
    assert not found, "\n".join(found)
