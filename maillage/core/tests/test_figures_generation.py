"""The data's generation (core.figures) names every cached figure, panel and fragment: a page
read it from the cache once per figure (issue 20); it is now read once per request, and moves
within the request that writes."""

from django.core.cache import cache

from maillage.core import figures


def test_a_request_reads_the_generation_once_and_sees_its_own_writes():
    with figures.one_generation():
        first = figures.generation()
        cache.set(figures.GENERATION_KEY, "another process wrote")
        assert figures.generation() == first  # one state of the data for the whole page
        figures._next_generation()  # this request's own write commits
        assert figures.generation() == cache.get(figures.GENERATION_KEY) != first
    cache.set(figures.GENERATION_KEY, "later")
    assert figures.generation() == "later"  # outside a request (the worker): read each time


def test_every_request_reads_it_afresh(settings):
    assert "maillage.core.middleware.OneGenerationPerRequest" in settings.MIDDLEWARE
    with figures.one_generation():
        before = figures.generation()
    cache.set(figures.GENERATION_KEY, "moved")
    with figures.one_generation():
        assert figures.generation() == "moved" != before


def test_a_process_keeps_its_own_copies_and_hands_each_reader_a_fresh_one(settings, monkeypatch):
    """What a key names never changes (its generation is in it): a process asks the shared
    cache once, then reads its own pickled copy — never an object another reader changed."""
    settings.FIGURES_CACHE_SECONDS = 60
    shared_reads = []
    read = cache.get

    def counted(key, *args):
        shared_reads.append(key)
        return read(key, *args)

    monkeypatch.setattr(cache, "get", counted)
    rows = figures.cached_figures("rows", lambda: [{"title": "Halle"}], lambda _rows: None)
    rows[0]["title"] = "changed by a reader"
    reads = len(shared_reads)
    again = figures.cached_figures("rows", lambda: [{"title": "recomputed"}], lambda _rows: None)
    assert again == [{"title": "Halle"}]
    assert [key for key in shared_reads[reads:] if key.startswith("figures:rows")] == []
    figures.forget_kept_here()  # another process: from the shared cache
    assert figures.cached_figures("rows", lambda: [], lambda _rows: None) == [{"title": "Halle"}]
