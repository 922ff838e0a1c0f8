import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from reversion.models import Version

from maillage.cooperations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def age(name: str, days: int) -> None:
    """Date a stored file `days` days back."""
    then = time.time() - days * 86400
    os.utime(default_storage.path(name), (then, then))


def purge(*arguments: str) -> str:
    out = StringIO()
    call_command("purge_files", *arguments, stdout=out)
    return out.getvalue()


def test_only_files_that_nothing_names_are_purged(media, claire, cooperation):
    kept = services.document_add(
        actor=claire,
        cooperation=cooperation,
        kind="study",
        title="Étude",
        file=SimpleUploadedFile("etude.pdf", b"%PDF-1.4 kept"),
    )
    deleted = services.document_add(
        actor=claire,
        cooperation=cooperation,
        kind="study",
        title="Ancienne étude",
        file=SimpleUploadedFile("ancienne.pdf", b"%PDF-1.4 restorable"),
    )
    restorable = deleted.file.name
    services.document_delete(actor=claire, document=deleted)  # the history can bring it back
    orphan = default_storage.save("imports/1/1/abandonne.csv", ContentFile(b"code;titre\n"))
    fresh = default_storage.save("imports/1/1/en-cours.csv", ContentFile(b"code;titre\n"))
    for name in (kept.file.name, restorable, orphan):
        age(name, 30)

    listed = purge("--dry-run")
    assert orphan in listed and "1 fichier à supprimer" in listed
    assert default_storage.exists(orphan)  # a dry run deletes nothing

    done = purge()
    assert "1 fichier supprimé" in done and "1 fichier récent gardé" in done
    assert not default_storage.exists(orphan)
    assert default_storage.exists(fresh)  # younger than the grace period
    assert default_storage.exists(kept.file.name)
    assert default_storage.exists(restorable)

    # Once the history no longer names it (pruned), the deleted document's file goes too.
    Version.objects.filter(serialized_data__contains=restorable).delete()
    assert restorable in purge()
    assert not default_storage.exists(restorable)


def test_the_grace_period_is_at_least_a_day(media):
    with pytest.raises(SystemExit):
        call_command("purge_files", "--older-than", "0", stderr=StringIO())
