"""Benchmark: the search over 100 000 indexed objects (issue 17).

    python bench/search.py --database sqlite|postgres [--objects 100000]

Builds 60 cooperations (a third public, a third partners-only, a third restricted) holding
projects, proposals, documents and forum posts (in a space of each cooperation as visible as
it, one post in 50 hidden by the moderation) — 100 000 objects in all, each with a title and a text of
about 120 words drawn from a vocabulary of 3 000 words (a document's text stands for the words
of its file) —, indexes them (`core.search.reindex`, timed) and asks a two-word question as a
visitor and as a member of 6 cooperations. Prints, in the same run, the first page of results
(its count, its 20 rows, their excerpts: what the page and the API read) next to a floor: the
same three statements written by hand on the same index, checked to give the same rows, timed
in turn with it (goal: within 2×); and the search page itself (HTTP, 20 results, facets).
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set
from portfolio import median_seconds, paired_medians  # noqa: E402

QUESTION = "transition énergétique"
SYLLABLES = ["ba", "co", "di", "fe", "ga", "li", "mo", "nu", "pa", "ri", "sa", "tu", "vé", "zo"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def text(rng: random.Random, words: list[str], length: int) -> str:
    chosen = rng.choices(words, k=length)
    if rng.random() < 0.03:  # about 3 % speak of the energy transition
        chosen.insert(rng.randrange(length), "transition énergétique")
    elif rng.random() < 0.05:
        chosen.insert(rng.randrange(length), rng.choice(["transition", "énergétiques"]))
    return " ".join(chosen)


def build(objects: int) -> tuple:
    from django.utils import timezone

    from maillage.accounts.models import Membership, User
    from maillage.cooperations.models import Cooperation, Document, Proposal
    from maillage.core.bulk import analyse
    from maillage.core.models import SearchEntry
    from maillage.forum.models import Post, Space, Thread
    from maillage.projects.models import Project

    rng = random.Random(17)
    words = vocabulary(3000, rng)
    visibilities = ["public", "partners", "restricted"]
    cooperations = Cooperation.objects.bulk_create(
        Cooperation(
            title=f"Coopération {n}",
            slug=f"cooperation-{n}",
            kind="other",
            search_name=f"cooperation {n}",
            visibility=visibilities[n % 3],
        )
        for n in range(60)
    )
    member = User.objects.create_user(email="membre@bench.test", password="x")
    Membership.objects.bulk_create(
        Membership(user=member, cooperation=cooperation, role="observer")
        for cooperation in cooperations[:6]
    )
    per_kind = objects // 4
    Project.objects.bulk_create(
        (
            Project(
                cooperation=cooperations[n % 60],
                code=f"P{n}",
                title=" ".join(rng.choices(words, k=5)),
                search_name=f"p{n}",
                description=text(rng, words, 120),
                visibility=rng.choice(visibilities[n % 60 % 3 :]),  # within its cooperation's
            )
            for n in range(per_kind)
        ),
        batch_size=5000,
    )
    Proposal.objects.bulk_create(
        (
            Proposal(
                cooperation=cooperations[n % 60],
                number=n,
                title=" ".join(rng.choices(words, k=6)),
                text=text(rng, words, 120),
                visibility=visibilities[n % 3],
            )
            for n in range(per_kind)
        ),
        batch_size=5000,
    )
    documents = Document.objects.bulk_create(
        (
            Document(
                cooperation=cooperations[n % 60],
                kind="reference",
                title=" ".join(rng.choices(words, k=4)),
                visibility=visibilities[n % 3],
            )
            for n in range(per_kind)
        ),
        batch_size=5000,
    )
    spaces = Space.objects.bulk_create(
        Space(cooperation=cooperation, title=f"Espace {n}", visibility=cooperation.visibility)
        for n, cooperation in enumerate(cooperations)
    )
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        (
            Thread(space=spaces[n % 60], title=" ".join(rng.choices(words, k=5)), last_post_at=now)
            for n in range((objects - 3 * per_kind) // 10)
        ),
        batch_size=5000,
    )
    Post.objects.bulk_create(
        (
            Post(
                thread=threads[n % len(threads)],
                body=text(rng, words, 120),
                hidden_at=now if n % 50 == 0 else None,
            )
            for n in range(objects - 3 * per_kind)
        ),
        batch_size=5000,
    )
    from maillage.core import search

    start = time.perf_counter()
    indexed = search.reindex(Project) + search.reindex(Proposal) + search.reindex(Post)
    seconds = time.perf_counter() - start
    # The documents' words stand for those of their files (no files are written here).
    SearchEntry.objects.bulk_create(
        (
            SearchEntry(
                source="document",
                object_id=document.pk,
                cooperation_id=document.cooperation_id,
                title=document.title,
                body=text(rng, words, 120),
            )
            for document in documents
        ),
        batch_size=5000,
    )
    analyse(SearchEntry, Project, Proposal, Document, Post, Thread, Space, Cooperation, Membership)
    return member, indexed, seconds


def floor_statements(vendor: str, user_id: int | None) -> tuple[str, str, str]:
    """Count, page and excerpts by hand: the entry matches, and its object is readable (the
    cooperation visible, the object's visibility allowed)."""
    # A post is read like its space: the space's visibility, and never once hidden.
    holder = "o"  # the row that has the cooperation and the visibility
    if user_id is None:
        readable = (
            "EXISTS (SELECT 1 FROM {table} JOIN cooperations_cooperation c "
            "ON c.id = {holder}.cooperation_id WHERE o.id = e.object_id {extra}"
            "AND {holder}.visibility = 'public' AND c.visibility = 'public')"
        )
    else:
        readable = (
            "EXISTS (SELECT 1 FROM {table} JOIN cooperations_cooperation c "
            "ON c.id = {holder}.cooperation_id LEFT JOIN accounts_membership m "
            f"ON m.cooperation_id = c.id AND m.user_id = {user_id} WHERE o.id = e.object_id "
            "{extra}AND (c.visibility = 'public' OR m.id IS NOT NULL) "
            "AND ({holder}.visibility = 'public' OR ({holder}.visibility = 'partners' "
            "AND m.id IS NOT NULL) OR m.role = 'coordinator'))"
        )
    post = (
        "forum_post o JOIN forum_thread t ON t.id = o.thread_id "
        "JOIN forum_space s ON s.id = t.space_id"
    )
    allowed = " OR ".join(
        f"(e.source = '{source}' AND {readable.format(table=table, holder=holder_of, extra=extra)})"
        for source, table, holder_of, extra in [
            ("project", "projects_project o", holder, ""),
            ("proposal", "cooperations_proposal o", holder, ""),
            ("document", "cooperations_document o", holder, ""),
            ("post", post, "s", "AND o.hidden_at IS NULL "),
        ]
    )
    if vendor == "postgresql":
        match = "e.vector @@ websearch_to_tsquery('maillage_french', %s)"
        rank = "ts_rank_cd(e.vector, websearch_to_tsquery('maillage_french', %s))"
        excerpt = (
            "SELECT id, ts_headline('maillage_french', body, "
            "websearch_to_tsquery('maillage_french', %s), 'MaxWords=30, MinWords=12') "
            "FROM core_searchentry WHERE id = ANY(%s)"
        )
    else:
        match = (
            "e.id IN (SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s)"
        )
        excerpt = (
            "SELECT rowid, snippet(core_searchentry_fts, 1, '<', '>', ' … ', 30) "
            "FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s AND rowid IN ({ids})"
        )
    count = f"SELECT COUNT(*) FROM core_searchentry e WHERE {match} AND ({allowed})"
    if vendor == "postgresql":
        page = (
            f"SELECT e.id, {rank} AS r FROM core_searchentry e WHERE {match} AND ({allowed}) "
            "ORDER BY r DESC, e.date DESC NULLS LAST, e.id LIMIT 20"
        )
    else:
        page = (
            "SELECT e.id FROM (SELECT rowid, bm25(core_searchentry_fts, 5.0, 1.0) AS rank "
            "FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s) f "
            f"JOIN core_searchentry e ON e.id = f.rowid WHERE ({allowed}) "
            "ORDER BY f.rank, e.date DESC NULLS LAST, e.id LIMIT 20"
        )
    return count, page, excerpt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--objects", type=int, default=100_000)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp())
    configure(options.database, workdir)

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from maillage.core import search
    from maillage.core.search import _fts5_query

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    member, indexed, seconds = build(options.objects)
    vendor = connection.vendor
    question = QUESTION if vendor == "postgresql" else _fts5_query(QUESTION)
    print(
        f"== search: {options.database}, {options.objects} objects "
        f"(projects, proposals, documents, forum posts) in 60 cooperations"
    )
    print(
        f"indexing {indexed} projects, proposals and posts: {seconds:.1f} s "
        f"({indexed / seconds:,.0f}/s)"
    )
    for label, user in [("visitor", AnonymousUser()), ("member of 6", member)]:
        count_sql, page_sql, excerpt_sql = floor_statements(
            vendor, None if label == "visitor" else member.pk
        )

        def floor(count_sql=count_sql, page_sql=page_sql, excerpt_sql=excerpt_sql):
            with connection.cursor() as cursor:
                cursor.execute(count_sql, [question])
                total = cursor.fetchone()[0]
                cursor.execute(page_sql, [question] * page_sql.count("%s"))
                ids = [row[0] for row in cursor.fetchall()]
                if vendor == "postgresql":
                    cursor.execute(excerpt_sql, [QUESTION, ids])
                else:
                    marks = ", ".join(["%s"] * len(ids))
                    cursor.execute(excerpt_sql.format(ids=marks), [question, *ids])
                cursor.fetchall()
            return total, ids

        def view(user=user):
            return search.search(user, QUESTION, facets=False)

        results = view()
        total, ids = floor()
        assert total == results.total, (total, results.total)
        assert ids == [hit.entry.pk for hit in results.hits], "the floor gives other rows"
        floor_seconds, view_seconds = paired_medians(floor, view)
        print(
            f"{label}: {results.total} results; first page {view_seconds * 1000:.1f} ms, "
            f"floor {floor_seconds * 1000:.1f} ms ({view_seconds / floor_seconds:.1f}×)"
        )
    client = Client()
    client.force_login(member)
    page = median_seconds(lambda: client.get("/recherche/", {"q": QUESTION}), runs=7)
    print(
        f"search page as a member (20 results, facets by type and cooperation): {page * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
