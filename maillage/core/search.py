"""One search over everything the apps hold (docs/search.md).

Apps import only downward, so the kernel keeps the index and each app describes its own
objects: a `SearchSource` names a model, how one of its objects reads in the index (title,
text, cooperation, date) and — the app's own permission helper — which of them a user may
read. Every save and deletion of a registered model, by a service, the admin or a cascade,
updates the index when its transaction commits; bulk writes (the importers) call `reindex`,
and `manage.py rebuild_search_index` rebuilds it whole.

The words are matched by the database: PostgreSQL's full-text search with a French
configuration that ignores accents (stemmed: "coopérations" finds "coopération"), behind a
GIN index; SQLite's FTS5 (accents and case folded, word prefixes). Results are filtered, in
the same query, by each source's permission helper on the objects' own tables: an entry left
behind by a write that skipped the index is never shown to whoever may not read its object.
"""

import html
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import Promise

from maillage.core.models import SearchEntry

MAX_QUERY_LENGTH = 200
MAX_BODY_CHARACTERS = 200_000  # a document's text beyond this is not searched
EXCERPT_WORDS = 30
MAX_COOPERATION_FACETS = 12
# Markers the database puts around a matched word; the excerpt is escaped, then they become
# <mark>: the indexed text is whatever people wrote.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Indexed:
    """How one object reads in the index."""

    title: str
    text: str = ""
    cooperation_id: int | None = None
    date: date | datetime | None = None


@dataclass(frozen=True)
class SearchSource:
    """What an app puts in the search: `describe` an object; `readable(user)` is the app's
    own rule of which objects that user may read (a queryset of the model); `rows()` every
    object to index, with what `describe` and `url` read; `url(obj)` its page (by default
    `get_absolute_url`); `deferred`: indexed by the task worker (the text of a file takes
    time to extract)."""

    key: str
    label: Promise | str
    model: type[models.Model]
    describe: Callable[[Any], Indexed | None]
    readable: Callable[[Any], QuerySet]
    rows: Callable[[], QuerySet]
    url: Callable[[Any], str] | None = None
    deferred: bool = False

    def url_of(self, obj: Any) -> str:
        return self.url(obj) if self.url is not None else obj.get_absolute_url()


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    """Called by an app's `search.py` (imported by its AppConfig.ready())."""
    _sources[source.key] = source
    uid = f"search-{source.key}"
    post_save.connect(_saved, sender=source.model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=source.model, dispatch_uid=uid, weak=False)


def sources() -> list[SearchSource]:
    return list(_sources.values())


def source_of(model: type[models.Model]) -> SearchSource | None:
    return next((s for s in _sources.values() if s.model is model), None)


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: the restore rebuilds the index afterwards
        _mark(sender, instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    _mark(sender, instance.pk)  # reindexed once gone: its entry goes, in one statement per type


def _mark(model: type[models.Model], pk: int) -> None:
    source = source_of(model)
    if source is not None:
        _pending_ids().setdefault(source.key, set()).add(pk)
        # The first of these to run indexes all the transaction saved or deleted; the others
        # find nothing left to do.
        transaction.on_commit(_flush)


_pending = threading.local()


def _pending_ids() -> dict[str, set[int]]:
    if not hasattr(_pending, "ids"):
        _pending.ids = {}
    return _pending.ids


def _flush() -> None:
    """Index what the committed transaction saved or deleted: `reindex` writes the entries of
    the objects that exist and removes the others' (the ids of a rolled-back transaction are
    indexed too: afresh, as they stand)."""
    pending = _pending_ids()
    while pending:
        key, ids = pending.popitem()
        source = _sources[key]
        if source.deferred:
            from maillage.core.tasks import index_for_search

            index_for_search.enqueue(source=key, ids=sorted(ids))
        else:
            reindex(source.model, ids)


def reindex(model: type[models.Model], ids: Iterable[int] | None = None) -> int:
    """Write the index entries of these objects of `model` (all of them when `ids` is None)
    afresh, in batches; an object that no longer exists or describes itself as None loses its
    entry. Returns how many entries were written."""
    source = source_of(model)
    if source is None:
        return 0
    rows = source.rows()
    entries = SearchEntry.objects.filter(source=source.key)
    if ids is not None:
        ids = list(ids)
        rows = rows.filter(pk__in=ids)
        entries = entries.filter(object_id__in=ids)
    written = 0
    with transaction.atomic():
        entries.delete()
        batch: list[SearchEntry] = []
        for obj in rows.iterator(chunk_size=2000):
            entry = _entry(source, obj)
            if entry is not None:
                batch.append(entry)
            if len(batch) >= 2000:
                written += len(SearchEntry.objects.bulk_create(batch))
                batch = []
        written += len(SearchEntry.objects.bulk_create(batch))
    return written


def rebuild() -> dict[str, int]:
    """The whole index afresh (`manage.py rebuild_search_index`, after a restore)."""
    return {source.key: reindex(source.model) for source in sources()}


def _entry(source: SearchSource, obj: models.Model) -> SearchEntry | None:
    indexed = source.describe(obj)
    if indexed is None:
        return None
    moment = indexed.date
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = timezone.make_aware(datetime.combine(moment, time()))
    return SearchEntry(
        source=source.key,
        object_id=obj.pk,
        cooperation_id=indexed.cooperation_id,
        title=indexed.title[:500],
        body=indexed.text[:MAX_BODY_CHARACTERS],
        date=moment,
    )


# Reading


def clean_query(text: str) -> str:
    """The words asked for, spaces tidied; longer than MAX_QUERY_LENGTH is the caller's 400."""
    return " ".join(text.split())


def _words(query: str) -> list[str]:
    return [word for word in re.findall(r"\w+", query) if len(word) > 1 or word.isdigit()]


def _fts5_query(query: str) -> str:
    """Each word a quoted prefix (FTS5's syntax never reaches the reader's text)."""
    return " ".join(f'"{word}"*' for word in _words(query))


def _matching(query: str) -> QuerySet[SearchEntry]:
    """The entries matching `query` (the reader's words reach the database as parameters)."""
    if connection.vendor == "postgresql":
        sql = "core_searchentry.vector @@ websearch_to_tsquery('maillage_french', %s)"
        params = [query]
    else:
        sql = (
            "core_searchentry.id IN (SELECT rowid FROM core_searchentry_fts "
            "WHERE core_searchentry_fts MATCH %s)"
        )
        params = [_fts5_query(query)]
    match = RawSQL(sql, params, output_field=models.BooleanField())  # noqa: S611
    return SearchEntry.objects.alias(matched=match).filter(matched=True)


def readable_q(user, keys: Iterable[str] | None = None) -> Q:
    """Entries of objects the user may read, by each source's own rule — looked up for each
    matching entry (EXISTS), not by listing every readable object of the platform."""
    allowed = Q(pk__in=[])
    for source in sources():
        if keys is None or source.key in keys:
            readable = source.readable(user).filter(pk=OuterRef("object_id"))
            allowed |= Q(source=source.key) & Q(Exists(readable))
    return allowed


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    source: SearchSource
    excerpt: str  # HTML: escaped text with the matched words in <mark>
    obj: Any  # the object itself, for its current title and address

    @property
    def url(self) -> str:
        return self.source.url_of(self.obj)


@dataclass
class SearchResults:
    query: str
    total: int
    by_source: list[tuple[SearchSource, int]]  # every source that has results, with its count
    by_cooperation: list[tuple[int, int]]  # (cooperation id, count), most first
    hits: list[Hit]


def search(
    user,
    query: str,
    *,
    source: str | None = None,
    cooperation_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
) -> SearchResults:
    """What `user` may read that matches `query`, best first; counts per source and per
    cooperation (facets) over the same readable matches. A fixed number of queries: the
    counts, the page, its excerpts and one per source on the page for the objects.

    The readable matches are one statement, compiled once (its permission subqueries are many)
    and read by the counts and by the page."""
    query = clean_query(query)
    if not _words(query):
        return SearchResults(query, 0, [], [], [])
    readable = _matching(query).filter(readable_q(user))
    readable_sql, readable_params = readable.values(
        "id", "source", "cooperation_id"
    ).query.sql_with_params()
    chosen: list[str] = []
    chosen_params: list[Any] = []
    if source:
        chosen.append("source = %s")
        chosen_params.append(source)
    if cooperation_id is not None:
        chosen.append("cooperation_id = %s")
        chosen_params.append(cooperation_id)
    by_source: list[tuple[SearchSource, int]] = []
    by_cooperation: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        if facets:
            cursor.execute(
                "SELECT source, cooperation_id, COUNT(*) "  # noqa: S608 - parameters only
                f"FROM ({readable_sql}) r GROUP BY source, cooperation_id",
                readable_params,
            )
            groups = cursor.fetchall()
            per_source: dict[str, int] = {}
            per_cooperation: dict[int, int] = {}
            total = 0
            for key, cooperation, count in groups:
                per_source[key] = per_source.get(key, 0) + count
                if source in (None, key) and cooperation is not None:
                    per_cooperation[cooperation] = per_cooperation.get(cooperation, 0) + count
                if source in (None, key) and cooperation_id in (None, cooperation):
                    total += count
            by_source = [(s, per_source[s.key]) for s in sources() if per_source.get(s.key)]
            by_cooperation = sorted(per_cooperation.items(), key=lambda item: (-item[1], item[0]))
            by_cooperation = by_cooperation[:MAX_COOPERATION_FACETS]
        else:
            where = f"WHERE {' AND '.join(chosen)}" if chosen else ""
            cursor.execute(
                f"SELECT COUNT(*) FROM ({readable_sql}) r {where}",  # noqa: S608 - parameters only
                [*readable_params, *chosen_params],
            )
            total = cursor.fetchone()[0]
    page = _best_first(
        readable_sql, [*readable_params], chosen, chosen_params, query, offset, limit
    )
    return SearchResults(query, total, by_source, by_cooperation, _hits(page, query))


def _best_first(
    readable_sql: str,
    readable_params: list,
    chosen: list[str],
    chosen_params: list,
    query: str,
    offset: int,
    limit: int,
) -> list[SearchEntry]:
    """A page of the readable matches (`chosen`: the type and cooperation asked for), most
    relevant first, then the most recent. PostgreSQL ranks each row from its stored vector;
    SQLite's bm25 is only known inside the FTS5 query, so the page joins that query's rows
    (a `rank` per row would run the match again for every row)."""
    if limit <= 0:
        return []
    conditions = "".join(f" AND r.{condition}" for condition in chosen)
    if connection.vendor == "postgresql":
        ranked = (
            "SELECT e.* FROM core_searchentry e JOIN ({readable}) r ON r.id = e.id "
            "WHERE TRUE{conditions} ORDER BY ts_rank_cd(e.vector, "
            "websearch_to_tsquery('maillage_french', %s)) DESC, "
            "e.date DESC NULLS LAST, e.id LIMIT %s OFFSET %s"
        )
        params = [*readable_params, *chosen_params, query, limit, offset]
    else:
        # bm25 is lower for better matches; the title counts five times the text
        ranked = (
            "SELECT e.* FROM core_searchentry e JOIN ({readable}) r ON r.id = e.id "
            "JOIN (SELECT rowid, bm25(core_searchentry_fts, 5.0, 1.0) AS rank "
            "FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s) f "
            "ON f.rowid = e.id WHERE 1{conditions} "
            "ORDER BY f.rank, e.date DESC NULLS LAST, e.id LIMIT %s OFFSET %s"
        )
        params = [*readable_params, _fts5_query(query), *chosen_params, limit, offset]
    sql = ranked.format(readable=readable_sql, conditions=conditions)
    return list(SearchEntry.objects.raw(sql, params))


def _hits(page: Sequence[SearchEntry], query: str) -> list[Hit]:
    excerpts = _excerpts([entry.pk for entry in page], query)
    objects: dict[str, dict[int, Any]] = {}
    for key in {entry.source for entry in page}:
        ids = [entry.object_id for entry in page if entry.source == key]
        objects[key] = _sources[key].rows().in_bulk(ids)
    hits = []
    for entry in page:
        obj = objects[entry.source].get(entry.object_id)
        if obj is not None:  # deleted since the count: left out
            hits.append(Hit(entry, _sources[entry.source], excerpts.get(entry.pk, ""), obj))
    return hits


def _excerpts(ids: list[int], query: str) -> dict[int, str]:
    """The passage of each entry's text around the matched words, as safe HTML."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id, ts_headline('maillage_french', body, "
                "websearch_to_tsquery('maillage_french', %s), %s) "
                "FROM core_searchentry WHERE id = ANY(%s)",
                [
                    query,
                    f"StartSel={_START}, StopSel={_STOP}, MaxWords={EXCERPT_WORDS}, "
                    'MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "',
                    ids,
                ],
            )
        else:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"SELECT rowid, snippet(core_searchentry_fts, 1, %s, %s, ' … ', %s) "  # noqa: S608 - placeholders only
                f"FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s "
                f"AND rowid IN ({marks})",
                [_START, _STOP, EXCERPT_WORDS, _fts5_query(query), *ids],
            )
        rows = cursor.fetchall()
    return {pk: _marked(text or "") for pk, text in rows}


def _marked(text: str) -> str:
    escaped = html.escape(text)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
