"""Project-wide guarantees: migrations are committed and production settings pass the deploy checks."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_every_model_change_has_a_committed_migration():
    output = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=output)
    assert "No changes detected" in output.getvalue()


def run_manage(*args, **env):
    unset = {"DEBUG", "SECRET_KEY", "PERSONAL_DATA_KEYS", "PERSONAL_DATA_DIGEST_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(DJANGO_SETTINGS_MODULE="furong_portal.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_checks():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="gov.furong.example",
        PERSONAL_DATA_KEYS=f"1:{secrets.token_hex(16)}", PERSONAL_DATA_DIGEST_KEY=secrets.token_hex(32),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_personal_data_keys():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="gov.furong.example")
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS and PERSONAL_DATA_DIGEST_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="gov.furong.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_redis_url_selects_a_working_shared_cache():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    result = run_manage(
        "shell", "-c",
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('furong-check', 'ok', 10); print(type(cache).__name__, cache.get('furong-check'))",
        DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("RedisCache ok")
