"""Benchmark: the forum's thread list and the portal's home page as the data grows (issue 17).

    python bench/forum.py --database sqlite|postgres [--threads 20000]

Builds a public cooperation with a space of `--threads` threads (10 posts each, the last ones
active most recently) and a member who has read half of them, plus as many public news and
documents. Prints, for a small and for the full space, the number of queries of the space's page,
its API list, a thread's page and the home page (they must not grow), and the time of the
space's first page and of a page deep in the list, next to a floor: the same rows with their
unread marker written by hand, checked to return the same ids, timed in turn with it.
"""

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_territories import configure  # noqa: E402 - after the path is set
from portfolio import median_seconds, paired_medians  # noqa: E402


def build(space, member, count: int, start: int) -> None:
    from django.utils import timezone

    from maillage.core.bulk import analyse
    from maillage.forum.models import Post, ReadMark, Space, Thread

    now = timezone.now()
    threads = Thread.objects.bulk_create(
        (
            Thread(
                space=space,
                title=f"Sujet {n}",
                author=member,
                last_poster=member,
                posts_count=10,
                last_post_at=now - timedelta(minutes=n),
                pinned=n % 1000 == 0,
            )
            for n in range(start, start + count)
        ),
        batch_size=5000,
    )
    Post.objects.bulk_create(
        (
            Post(thread=thread, author=member, body=f"Message {n} du sujet {thread.title}.")
            for thread in threads
            for n in range(10)
        ),
        batch_size=10000,
    )
    ReadMark.objects.bulk_create(
        (
            ReadMark(user=member, thread=thread, read_at=thread.last_post_at)
            for thread in threads[::2]
        ),
        batch_size=5000,
    )
    analyse(Thread, Post, ReadMark, Space)


def floor_statement(vendor: str) -> str:
    offset = "OFFSET %s"
    return (
        "SELECT t.id, NOT EXISTS (SELECT 1 FROM forum_readmark r WHERE r.thread_id = t.id "
        "AND r.user_id = %s AND r.read_at >= t.last_post_at) AS unread, u.first_name, "
        "p.first_name FROM forum_thread t LEFT JOIN accounts_user u ON u.id = t.author_id "
        "LEFT JOIN accounts_user p ON p.id = t.last_poster_id WHERE t.space_id = %s "
        f"ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT 25 {offset}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--threads", type=int, default=20_000)
    options = parser.parse_args()
    configure(options.database, Path(tempfile.mkdtemp()))

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from maillage.accounts.models import Membership, User
    from maillage.cooperations.models import Cooperation
    from maillage.core.testing import count_queries
    from maillage.forum.models import Space, Thread

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    cooperation = Cooperation.objects.create(
        title="Coopération", slug="cooperation", kind="other", visibility="public"
    )
    member = User.objects.create_user(email="membre@bench.test", password="x", first_name="M")
    Membership.objects.create(user=member, cooperation=cooperation, role="observer")
    space = Space.objects.create(cooperation=cooperation, title="Espace", visibility="public")
    client = Client()
    client.force_login(member)
    build(space, member, 50, 0)
    thread = Thread.objects.order_by("pk").first()
    assert thread is not None
    pages = {
        "space page": space.get_absolute_url(),
        "API thread list": f"/api/v1/forum/spaces/{space.pk}/threads",
        "thread page": thread.get_absolute_url(),
        "forum index": "/forum/",
        "home page": "/",
    }
    small = {name: count_queries(lambda url=url: client.get(url)) for name, url in pages.items()}
    build(space, member, options.threads - 50, 50)
    large = {name: count_queries(lambda url=url: client.get(url)) for name, url in pages.items()}
    print(f"== forum: {options.database}, {options.threads} threads, {options.threads * 10} posts")
    for name in pages:
        flag = "" if small[name] == large[name] else "  <-- GROWS"
        print(f"{name}: {small[name]} queries at 50 threads, {large[name]} at the full size{flag}")

    from maillage.forum import selectors

    sql = floor_statement(connection.vendor)
    for label, number in [("first page", 1), ("page 400", 400)]:
        offset = (number - 1) * selectors.THREADS_PER_PAGE

        def floor(offset=offset):
            with connection.cursor() as cursor:
                cursor.execute(sql, [member.pk, space.pk, offset])
                return [row[0] for row in cursor.fetchall()]

        def view(offset=offset):
            rows = selectors.thread_list(member, space, selectors.ThreadFilters())
            return [thread.pk for thread in rows[offset : offset + selectors.THREADS_PER_PAGE]]

        assert floor() == view(), "the floor gives other rows"
        floor_seconds, view_seconds = paired_medians(floor, view)
        page_seconds = median_seconds(
            lambda number=number: client.get(space.get_absolute_url(), {"page": number}), runs=7
        )
        print(
            f"thread list, {label}: {view_seconds * 1000:.1f} ms, floor "
            f"{floor_seconds * 1000:.1f} ms ({view_seconds / floor_seconds:.1f}×); "
            f"the page (HTTP, count included) {page_seconds * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
