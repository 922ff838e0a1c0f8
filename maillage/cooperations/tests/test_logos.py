"""A cooperation's logo: a picture, checked by reading it, served through the cooperation's
permission, never as a document that could run a script."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from maillage.cooperations import forms
from maillage.core.testing import ROLES, assert_permission_matrix

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.svg", SVG), ("logo.png", SVG), ("logo.png", b"\x89PNG pas une image")],
)
def test_an_svg_or_a_file_that_is_no_picture_is_refused(name, content):
    data = {"title": "X", "kind": "reciprocity_contract", "visibility": "public"}
    form = forms.CooperationForm(data, {"logo": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert "logo" in form.errors


def test_a_picture_is_served_through_the_cooperations_permission(cast, cooperation):
    from maillage.cooperations import services

    services.cooperation_update(
        actor=None,
        cooperation=cooperation,
        logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"),
    )
    url = f"/cooperations/{cooperation.slug}/logo/"
    members = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
    assert_permission_matrix(cast, lambda client: client.get(url), members)
    client = Client()
    client.force_login(cast["coordinator"])
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(cooperation.logo.url).status_code == 404  # never straight from storage
