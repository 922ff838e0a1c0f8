"""What is computed from many rows (a cooperation's dashboard, a portfolio's counts) or asked
on every page (a user's roles, "Mon espace"'s panels), kept in the cache (Redis in production)
until the data it reads changes.

What changes the data is seen where every write passes: the database connection. A wrapper on
each connection notes the INSERT, UPDATE and DELETE statements on the tables of the domain's
apps, whoever runs them (a service, the admin, an importer's bulk write, the task worker); when
the transaction commits, the data's *generation* moves on and every cached figure is stale.
COPY (`core.bulk.bulk_insert` on PostgreSQL) bypasses the wrapper and calls `data_changed`.
Writes are rare next to reads: one generation for all cooperations keeps the rule simple and
exact. A generation is a time stamp, never a counter: if the cache evicts it, the next one
cannot repeat an old value.

Figures that depend on the clock say until when they hold (`valid_until`: the next meeting's
start, when a meeting becomes held) and callers put the day in their key. A request reads the
generation once; a transaction that has written the data computes afresh (it would not see its
own writes in the cache); each process keeps its own copies of the values it last read.
"""

import datetime as dt
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.translation import get_language

GENERATION_KEY = "figures:generation"
# The tables whose changes change figures or what a visitor's page shows: the domain's apps and
# the memberships (roles).
WATCHED_PREFIXES = (
    "accounts_membership",
    "cooperations_",
    "directory_",
    "forum_",
    "funding_",
    "governance_",
    "mutualisation_",
    "observatory_",
    "portal_",
    "projects_",
    "territories_",
)
# Tables written often that no figure nor visitor's page reads: an import's progress, a
# reader's place in a thread and their subscriptions.
IGNORED_TABLES = ("projects_planimport", "forum_readmark", "forum_subscription")
WRITES = ("INSERT", "UPDATE", "DELETE")

T = TypeVar("T")


# Within a request (`core.middleware.OneGenerationPerRequest`), the generation is read from the
# cache once: the page's figures, panels and rows then name the same state of the data.
_request_generation: ContextVar[dict[str, str] | None] = ContextVar(
    "figures_generation", default=None
)


def generation() -> str:
    request = _request_generation.get()
    if request is not None and "generation" in request:
        return request["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, str(time.time_ns()), timeout=None)
        value = cache.get(GENERATION_KEY)
    if request is not None:
        request["generation"] = str(value)
    return str(value)


@contextmanager
def one_generation() -> Iterator[None]:
    """Read the generation at most once inside this block (a request)."""
    token = _request_generation.set({})
    try:
        yield
    finally:
        _request_generation.reset(token)


def _next_generation() -> None:
    value = str(time.time_ns())
    cache.set(GENERATION_KEY, value, timeout=None)
    request = _request_generation.get()
    if request is not None:  # the request that wrote reads its own write
        request["generation"] = value


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Every cached figure is stale once the current transaction commits (at once outside
    one). One move per transaction, however many rows it writes."""
    pending = connections[using].run_on_commit
    if not any(entry[1] is _next_generation for entry in pending):  # (sids, function, robust)
        transaction.on_commit(_next_generation, using=using, robust=True)


def _writes_pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """The current transaction has written the data and not committed yet: the cache, named
    by the generation before it, would not show its own writes."""
    return any(entry[1] is _next_generation for entry in connections[using].run_on_commit)


def cached_figures(
    key: str, compute: Callable[[], T], valid_until: Callable[[T], dt.datetime | None]
) -> T:
    """`compute()`'s result, from the cache while the data's generation and the clock allow
    (afresh inside a transaction that has written the data); `key` names the figures and their
    readers' scope (and the day, when they depend on it).
    `FIGURES_CACHE_SECONDS = 0` turns the cache off (the tests, whose transactions never
    commit, except those that test it)."""
    seconds = settings.FIGURES_CACHE_SECONDS
    if not seconds or _writes_pending():
        return compute()
    full_key = f"figures:{key}:{generation()}"
    cached: tuple[T, dt.datetime | None] | None = _read(full_key)
    if cached is not None:
        value, until = cached
        if until is None or timezone.now() < until:
            return value
    value = compute()
    kept = (value, valid_until(value))
    cache.set(full_key, kept, timeout=seconds)
    _keep_here(full_key, pickle.dumps(kept))
    return value


# What a key names never changes (the generation is in it): each process keeps the last ones
# it read in its memory, pickled — every read gets its own copy —, and asks the shared cache
# only for the others.
_here: OrderedDict[str, bytes] = OrderedDict()
_here_lock = threading.Lock()  # gunicorn's threaded workers share it
KEPT_HERE = 256


def _read(full_key: str) -> Any:
    with _here_lock:
        pickled = _here.get(full_key)
        if pickled is not None:
            _here.move_to_end(full_key)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301 - this process pickled it
    cached = cache.get(full_key)
    if cached is not None:
        _keep_here(full_key, pickle.dumps(cached))
    return cached


def _keep_here(full_key: str, pickled: bytes) -> None:
    with _here_lock:
        _here[full_key] = pickled
        _here.move_to_end(full_key)
        while len(_here) > KEPT_HERE:
            _here.popitem(last=False)


def forget_kept_here() -> None:
    """Empty this process's copies (each test starts without them)."""
    with _here_lock:
        _here.clear()


def cached_for_user(
    name: str,
    user,
    compute: Callable[[], T],
    valid_until: Callable[[T], dt.datetime | None] = lambda _value: None,
) -> T:
    """`compute()` for one user — a panel of their "Mon espace" —, kept like any figure:
    until the data changes, the day or the language changes, or `valid_until`."""
    key = f"{name}:{user.pk}:{get_language()}:{timezone.localdate()}"
    return cached_figures(key, compute, valid_until)


def _is_watched_write(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    if head not in WRITES:
        return False
    lowered = sql[:200].lower()
    for word in ("into", "update", "from"):
        marker = f"{word} "
        if marker in lowered:
            table = lowered.split(marker, 1)[1].lstrip().strip('"`').split('"')[0].split()[0]
            return table.startswith(WATCHED_PREFIXES) and table not in IGNORED_TABLES
    return False


def _watch_writes(execute, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _is_watched_write(sql):
        data_changed(context["connection"].alias)
    return result


def _install(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch the writes of every database connection (CoreConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="maillage.core.figures")
