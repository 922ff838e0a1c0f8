from django import forms

from maillage.notifications.enums import Frequency
from maillage.notifications.selectors import PreferenceRow


class PreferencesForm(forms.Form):
    """One choice per kind of notification: when it is e-mailed."""

    def __init__(self, *args, rows: list[PreferenceRow], **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.kind] = forms.ChoiceField(
                label=row.label,
                choices=Frequency.choices,
                initial=row.frequency,
                widget=forms.RadioSelect,
            )
