"""Helpers shared by every app's forms."""

import datetime as dt
from typing import cast

from django import forms


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, to narrow its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])


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
