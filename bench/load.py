"""Load test: the production setup under 1, 10 and 50 simultaneous users (`make load`).

    python bench/load.py [--projects 10000] [--users 1,10,50] [--seconds 20]
                         [--workers 5] [--threads 1] [--port 8765] [--reuse]

Builds a throwaway PostgreSQL database (BENCH_DATABASE, default maillage_load): the demo, with
the Cambrésis portfolio scaled to N projects; starts gunicorn on loopback (DEBUG off, Redis as
the cache, as docs/deployment.md sets it up) and the task worker; then, for each number of users, runs a bounded
load for a fixed time — half the users visitors, half the Cambrésis's coordinator, each
sending its next request when the last one answered — and prints the requests per second and,
per endpoint, the count, errors and the p50/p95/p99 latencies in milliseconds, the health
endpoint among them. `--reuse` runs against the database the last run built (another server
configuration, the same data). The client is a small asyncio one (a connection per request, as gunicorn's
sync workers close them): it costs the machine little next to the server.
"""

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
COOPERATION = "cambresis"
# (name, path, weight): what a visitor and what a coordinator do, in proportion.
VISITOR = [
    ("home", "/", 2),
    ("territory search", "/territoires/?q=cambrai", 3),
    ("cooperation", f"/cooperations/{COOPERATION}/", 2),
    ("portfolio", f"/cooperations/{COOPERATION}/projets/", 2),
    ("portfolio p.50", f"/cooperations/{COOPERATION}/projets/?page=50", 1),
    ("dashboard", f"/cooperations/{COOPERATION}/tableau-de-bord/", 2),
    ("API projects", f"/api/v1/projects?cooperation={COOPERATION}&limit=100", 2),
    ("health", "/api/v1/health", 1),
]
COORDINATOR = [
    ("dashboard (coord.)", f"/cooperations/{COOPERATION}/tableau-de-bord/", 3),
    ("API dashboard (coord.)", f"/api/v1/cooperations/{COOPERATION}/dashboard", 2),
    ("portfolio (coord.)", f"/cooperations/{COOPERATION}/projets/", 2),
    ("mon espace", "/mon-espace/", 1),
    ("territory search", "/territoires/?q=cambrai", 1),
    ("health", "/api/v1/health", 1),
]


def prepare(projects: int) -> None:
    """The database: the demo, the Cambrésis portfolio scaled to `projects`."""
    from django.core.management import call_command
    from django.db import connection
    from portfolio import build

    from maillage.cooperations.models import Cooperation

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    cambresis = Cooperation.objects.get(slug=COOPERATION)
    build(cambresis, projects - cambresis.projects.count())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def coordinator_cookie() -> str:
    """A signed-in session of the Cambrésis's coordinator."""
    from django.contrib.sessions.backends.db import SessionStore

    from maillage.accounts.models import User

    coordinator = User.objects.get(email="coordination@maillage.test")
    session = SessionStore()
    session["_auth_user_id"] = str(coordinator.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = coordinator.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


async def fetch(port: int, path: str, cookie: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    writer.write((head + "\r\n").encode())
    await writer.drain()
    status_line = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    return int(status_line.split()[1]) if status_line else 0


async def user(port, plan, cookie, until, times, errors, rng) -> None:
    names, paths, weights = zip(*[(n, p, w) for n, p, w in plan], strict=True)
    while time.perf_counter() < until:
        index = rng.choices(range(len(plan)), weights)[0]
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(fetch(port, paths[index], cookie), 60)
        except (OSError, TimeoutError):
            status = 0
        times[names[index]].append(time.perf_counter() - start)
        if status != 200:
            errors[names[index]] += 1


async def level(port: int, users: int, seconds: float, cookie: str, report: bool = True) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    until = time.perf_counter() + seconds
    rng = random.Random(users)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            user(
                port,
                COORDINATOR if n % 2 else VISITOR,
                cookie if n % 2 else "",
                until,
                times,
                errors,
                rng,
            )
            for n in range(users)
        )
    )
    elapsed = time.perf_counter() - started
    if not report:
        return
    total = sum(len(samples) for samples in times.values())
    print(
        f"-- {users} users, {elapsed:.0f} s: {total} requests = {total / elapsed:.1f} req/s,"
        f" {sum(errors.values())} errors"
    )
    print(f"   {'endpoint':24} {'count':>6} {'errors':>6} {'p50':>8} {'p95':>8} {'p99':>8}")
    for name in sorted(times):
        samples = sorted(times[name])
        if len(samples) < 2:
            continue
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        p50, p95, p99 = (value * 1000 for value in (cuts[49], cuts[94], cuts[98]))
        print(f"   {name:24} {len(samples):6} {errors[name]:6} {p50:8.0f} {p95:8.0f} {p99:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--warmup",
        type=float,
        default=10,
        help="seconds of unreported load first: each worker imports the code and fills its"
        " caches on its first requests",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="load the database an earlier run built instead of building it again",
    )
    arguments = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE", "maillage_load")
    os.environ["REDIS_URL"] = REDIS
    with tempfile.TemporaryDirectory() as tmp:
        configure("postgres", Path(tmp), keep=arguments.reuse)
        from django.core.cache import cache

        cache.clear()
        if not arguments.reuse:
            prepare(arguments.projects)
        cookie = coordinator_cookie()
        server_env = {
            **os.environ,
            "DEBUG": "false",
            "CONN_MAX_AGE": "60",
            "TASKS_BACKEND": "database",
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "maillage.wsgi",
            "--bind",
            f"127.0.0.1:{arguments.port}",
            "--workers",
            str(arguments.workers),
            "--threads",
            str(arguments.threads),
            "--timeout",
            "60",
        ]
        server = subprocess.Popen(command, cwd=ROOT, env=server_env)
        # The task worker, as in production: the health endpoint reports on it.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"], cwd=ROOT, env=server_env
        )
        try:
            for _ in range(100):
                try:
                    if asyncio.run(fetch(arguments.port, "/api/v1/health", "")) == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            print(
                f"== load: gunicorn, {arguments.workers} workers × {arguments.threads} threads,"
                f" PostgreSQL, {arguments.projects} projects in the Cambrésis portfolio,"
                f" {os.cpu_count()} cores shared by server, database and client"
            )
            levels = [int(n) for n in arguments.users.split(",")]
            asyncio.run(level(arguments.port, max(levels), arguments.warmup, cookie, report=False))
            for users in levels:
                asyncio.run(level(arguments.port, users, arguments.seconds, cookie))
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
