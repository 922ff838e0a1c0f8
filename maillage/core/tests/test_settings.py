"""Production settings: no secret, no start; with the secrets, `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ENV"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="maillage.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x7#kq2!vz9@p4mL8wR1tY6uE3oI0aS5dF2gH7jK4lZ9xC1vB8nM3qW6eR0tY-prod",
        ALLOWED_HOSTS="maillage.example.org",
        DEBUG="true",  # ignored: debug never reaches production
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_an_unknown_environment_is_refused():
    result = manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_sessions_are_read_from_the_cache_only_when_every_process_shares_it():
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    shared = manage("shell", "--no-imports", "-c", show, REDIS_URL="redis://127.0.0.1:6379/15")
    per_process = manage("shell", "--no-imports", "-c", show, REDIS_URL="")
    assert shared.stdout.strip() == "django.contrib.sessions.backends.cached_db", shared.stderr
    assert per_process.stdout.strip() == "django.contrib.sessions.backends.db", per_process.stderr
