"""Feedback forms: moderating a comment. (A feedback thread is started and answered with the
review's comment forms, forms/review.py.)"""

from django import forms
from django.utils.translation import gettext_lazy


class HideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is hidden"), max_length=1000)
