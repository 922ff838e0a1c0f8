"""Helpers shared by every app's forms."""

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from maillage.core.enums import Visibility

# One renderer for every DSFR form of a process: django-dsfr's base form builds a new one, with
# a new template engine that parses its templates again, for each form it creates (about 10 ms
# of a page with a small form).
DSFR_RENDERER = DsfrDjangoTemplates()


class DsfrForm(DsfrBaseForm):
    """The base of the interface's forms: the DSFR's classes and templates."""

    default_renderer = DSFR_RENDERER


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, to narrow its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])


def offer_reachable_visibilities(form: forms.BaseForm, cooperation) -> None:
    """Offer only the visibilities the cooperation lets anyone reach (the rule of
    `core.models.require_reachable`) and say why the others are missing, before the user saves
    a "public" object nobody outside the cooperation could open."""
    field = cast(forms.ChoiceField, form.fields["visibility"])
    reachable = [
        (value, label)
        for value, label in Visibility.choices
        if Visibility.narrowest(value, cooperation.visibility) == value
    ]
    if len(reachable) < len(Visibility.values):
        field.choices = reachable
        field.help_text = _(
            "La coopération est « %(visibility)s » : rien de ce qu’elle contient ne peut être "
            "plus largement visible qu’elle. Pour publier, rendez d’abord la coopération publique."
        ) % {"visibility": Visibility(cooperation.visibility).label}
        # The DSFR form has bound its fields already: the bound one shows the text.
        form["visibility"].help_text = field.help_text


class StaleEditForm(forms.ModelForm):
    """An edit form that carries when its object was read (`read_at`, hidden; absent from a
    creation's form): the service refuses to save over someone else's later change
    (`core.services.require_unchanged_since`) instead of silently undoing it."""

    read_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial["read_at"] = self.instance.updated_at.isoformat()
        else:  # a creation: nothing to be stale against
            del self.fields["read_at"]

    def clean_read_at(self) -> dt.datetime | None:
        value = self.cleaned_data["read_at"]
        try:
            return dt.datetime.fromisoformat(value) if value else None
        except ValueError:
            return None  # a mangled value: no check rather than a refusal nobody understands
