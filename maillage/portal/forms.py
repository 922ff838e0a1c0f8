from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import Cooperation
from maillage.core.forms import offer_reachable_visibilities
from maillage.portal.models import News, Resource


class NewsForm(forms.ModelForm):
    class Meta:
        model = News
        fields = ["title", "summary", "body", "image", "image_description", "documents"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, cooperation: Cooperation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperation = cooperation  # News.clean reads it
        documents = self.fields["documents"]
        if cooperation is None:
            del self.fields["documents"]
        else:
            documents.queryset = cooperation.documents.all()  # type: ignore[attr-defined]
            documents.widget = forms.CheckboxSelectMultiple()
            documents.widget.choices = documents.choices  # type: ignore[attr-defined]


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label=_("Lien"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "description",
            "url",
            "file",
            "date",
            "organisation",
            "themes",
            "territories",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, cooperation: Cooperation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperation = cooperation  # Resource.clean reads it
        territories = cast(forms.ModelMultipleChoiceField, self.fields["territories"])
        if cooperation is None:
            # An organisation's resource is public; its territories are given through the API.
            del self.fields["visibility"], self.fields["territories"]
        else:
            offer_reachable_visibilities(self, cooperation)
            territories.queryset = cooperation.territories.all()
            territories.widget = forms.CheckboxSelectMultiple()
            territories.widget.choices = territories.choices
