"""MercuryHub run as a newcomer runs it: `mercuryhub` in a process of its own, on the embedded
SQLite database of a data directory, with none of the configuration a fresh machine lacks.

Preparing an empty data directory (migrations, reference and starter data, built-in forms) takes
about a minute, so the test run does it once: the first test that asks for a prepared directory
prepares one, under a lock that the test workers share, and every test gets a copy of it. What
that first preparation printed is kept in it (FIRST_RUN), for the test of the first run itself.

These tests ignore DATABASE_URL: the PostgreSQL run of CI leaves them out (``embedded_sqlite``).
"""

import fcntl
import os
import shutil
import subprocess  # noqa: S404 - runs our own command
import sys
from pathlib import Path

# What a fresh machine has none of: serve must work without any of them.
CONFIGURATION = {
    "DATABASE_URL",
    "MERCURYHUB_ENV",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "SITE_URL",
}
FIRST_RUN = "first-run.txt"


def environment(data_dir) -> dict:
    fresh = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    fresh["MERCURYHUB_DATA_DIR"] = str(data_dir)
    return fresh


def python(arguments: list[str], env: dict, timeout=900) -> subprocess.CompletedProcess:
    """This Python on ``arguments`` in the environment ``env``; its output captured, its exit
    status for the caller to check."""
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def mercuryhub(data_dir, *arguments, timeout=900) -> subprocess.CompletedProcess:
    return python(["-m", "mercuryhub.cli", *arguments], environment(data_dir), timeout)


def prepared_template(shared_dir: Path) -> Path:
    """The data directory `serve --prepare-only` made of an empty one, made once per test run
    (``shared_dir`` is the same for every worker); its output is in FIRST_RUN beside it."""
    template = shared_dir / "prepared-data-dir"
    with open(shared_dir / "prepared-data-dir.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / FIRST_RUN).exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            result = mercuryhub(template, "serve", "--prepare-only")
            if result.returncode != 0:
                shutil.rmtree(template)
                raise RuntimeError(f"serve --prepare-only failed:\n{result.stderr}")
            (template / FIRST_RUN).write_text(result.stdout)
    return template


def copy_prepared(template: Path, data_dir: Path) -> Path:
    """A copy of the prepared directory at ``data_dir``, without its secret key (serve makes
    one where there is none)."""
    ignore = shutil.ignore_patterns(FIRST_RUN)
    shutil.copytree(template, data_dir, dirs_exist_ok=True, ignore=ignore)
    (data_dir / "secret_key").unlink(missing_ok=True)
    return data_dir
