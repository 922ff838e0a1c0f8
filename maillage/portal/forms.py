from django import forms

from maillage.cooperations.models import Cooperation
from maillage.portal.models import News


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
