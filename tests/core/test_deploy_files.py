"""deploy/ names only commands, jobs and files that exist."""

from __future__ import annotations

import re
import shlex

import pytest

from backend.core.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
TIMERS = sorted((DEPLOY / "systemd").glob("*.timer"))


def run_job_commands() -> dict[str, list[str]]:
    """``deploy/run-job``'s jobs and the first flask command of each."""
    jobs = {}
    for name, body in re.findall(
        r"^  ([a-z-]+)\)\s*(.*?);;", (DEPLOY / "run-job").read_text(), re.M | re.S
    ):
        words = shlex.split(body.replace("$flask", "FLASK"))
        jobs[name] = words[words.index("FLASK") + 1 :] if "FLASK" in words else []
    return jobs


@pytest.mark.parametrize("timer", TIMERS, ids=lambda path: path.name)
def test_every_timer_starts_a_job_that_run_job_knows(timer):
    unit = re.search(r"^Unit=schnellruf-job@([a-z-]+)\.service$", timer.read_text(), re.M)
    assert unit and unit.group(1) in run_job_commands()


def test_every_job_is_a_command_of_the_app(app):
    for name, words in run_job_commands().items():
        words = [word for word in words if not word.startswith(("$", '"'))]
        if not words:
            continue
        command = app.cli
        for word in words:
            command = command.commands[word] if hasattr(command, "commands") else command
        assert command is not app.cli, name


def test_the_units_run_the_production_configuration():
    web = (DEPLOY / "systemd" / "schnellruf-web.service").read_text()
    assert "gunicorn -c config/gunicorn.conf.py" in web
    assert (PROJECT_ROOT / "config" / "gunicorn.conf.py").exists()
    worker = (DEPLOY / "systemd" / "schnellruf-worker.service").read_text()
    assert "flask --app backend messaging worker" in worker
