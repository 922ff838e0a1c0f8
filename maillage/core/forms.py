"""Helpers shared by every app's forms."""

from typing import cast

from django import forms


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, to narrow its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])
