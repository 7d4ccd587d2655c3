"""LibreOffice for the tests that open an exported file as a user's office suite would: the
converter, and the mark that skips a test where it is not installed (.ci/run installs it)."""

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui "
    "libreoffice-calc-nogui to check the exports as it opens them",
)


def convert(path, target: str, tmp_path, infilter: str | None = None):
    """The file converted by LibreOffice headless into ``target`` ("pdf", "txt:Text (encoded):
    UTF8"…), with its own profile so that tests never share one: the converted file's path."""
    out = tmp_path / "converted"
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (converted,) = out.iterdir()
    return converted
