"""The API throttle counts each user once across every worker and server (issue 11).

The cache that holds the counters is shared: the database cache by default, Redis when
REDIS_URL is set. Two separate Django processes take turns answering one user, and the
limit still triggers at the configured count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache, caches

ROOT = Path(__file__).resolve().parents[2]
RATE = 5


def _settings_env(tmp_path, **extra) -> dict:
    env = {
        **os.environ,
        "TASKFORCE_MODE": "test",
        "DJANGO_SETTINGS_MODULE": "taskforce.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        **extra,
    }
    return env


def _backend(env) -> str:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_cache_is_the_database_by_default_and_redis_with_redis_url(tmp_path):
    env = _settings_env(tmp_path)
    env.pop("REDIS_URL", None)
    assert _backend(env) == "django.core.cache.backends.db.DatabaseCache"
    assert _backend({**env, "REDIS_URL": "redis://127.0.0.1:6379/5"}) == "django.core.cache.backends.redis.RedisCache"


class _Worker:
    def __init__(self, env, user_id: int):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.api.throttle_worker", str(user_id)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            self.process.kill()
            raise AssertionError("a throttle worker did not start (its error is above)")

    def request(self) -> int:
        self.process.stdin.write("GET\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _own_redis_db(url: str) -> str:
    """The same Redis server, another database: the other test workers empty theirs
    (cache.clear() is FLUSHDB) between requests, which would reset the counters counted here."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{15 if db != 15 else 14}"))


def test_the_limit_holds_across_two_worker_processes(tmp_path):
    # REDIS_URL, when CI sets it, is passed on: the workers then share the Redis server.
    env = _settings_env(tmp_path, API_USER_RATE=f"{RATE}/min")
    if env.get("REDIS_URL"):
        env["REDIS_URL"] = _own_redis_db(env["REDIS_URL"])
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    user_id = 900_000_000 + os.getpid()  # a user no other test counts for
    workers = []
    try:
        workers += [_Worker(env, user_id), _Worker(env, user_id)]
        statuses = [workers[i % 2].request() for i in range(RATE + 3)]
    finally:
        for worker in workers:
            worker.stop()
    # Counted alone, each worker would allow RATE requests: 2 × RATE in all.
    assert statuses == [200] * RATE + [429] * 3


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL), as in CI")
def test_the_cache_lives_in_the_redis_server():
    import redis
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    cache.set("shared-cache-probe", "seen by every worker", 60)
    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert [key for key in server.scan_iter("*shared-cache-probe*")]
    cache.delete("shared-cache-probe")
