from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DsfrForm
from maillage.reports.models import ReportFormat


def report_years() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, 2009, -1)]


class ReportForm(DsfrForm):
    year = forms.TypedChoiceField(label=_("Année"), coerce=int, choices=report_years)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportFormat.choices,
        widget=forms.RadioSelect,
        initial=ReportFormat.PDF,
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le mot d’ouverture, rédigé par la coordination."),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
