from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.models import Cooperation
from maillage.core.forms import offer_reachable_visibilities
from maillage.forum.models import POST_MAX_LENGTH, Post, Space, Thread


class SpaceForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = ["title", "description", "visibility", "working_group", "theme"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "working_group": _(
                "Un espace pour les échanges d’un groupe de travail ou d’une table."
            ),
        }

    def __init__(self, *args, cooperation: Cooperation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperation = cooperation  # Space.clean reads it
        if cooperation is None:
            # The platform's spaces are public, on a theme of their own.
            del self.fields["visibility"], self.fields["working_group"], self.fields["theme"]
            return
        offer_reachable_visibilities(self, cooperation)
        cast(
            forms.ModelChoiceField, self.fields["working_group"]
        ).queryset = cooperation.working_groups.all()
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = cooperation.themes.all()


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Sujet"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Mentionnez quelqu’un avec @Prénom Nom : il en est prévenu."),
    )
    attachment = Post._meta.get_field("attachment").formfield(required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mentionnez quelqu’un avec @Prénom Nom : il en est prévenu."),
    )
    attachment = Post._meta.get_field("attachment").formfield(required=False)
    quote = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=POST_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Vers l’espace"), queryset=Space.objects.none())

    def __init__(self, *args, spaces, thread: Thread, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["space"])
        field.queryset = spaces.exclude(pk=thread.space_id)
