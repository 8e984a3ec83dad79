"""Moderating suggestions as feedback is moderated: those who moderate community feedback
hide a suggestion, saying why, or show it again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recommendations import services
from recommendations.forms.feedback import HideForm
from recommendations.models import Suggestion
from recommendations.selectors.suggestions import suggestion_get


@login_required
@require_POST
def suggestion_moderate(
    request: HttpRequest, pk: int, suggestion: int, action: str
) -> HttpResponse:
    if not request.user.has_perm("recommendations.hide_suggestion"):
        raise PermissionDenied
    try:
        suggestion = suggestion_get(recommendation_id=pk, pk=suggestion)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    if action == "hide":
        form = HideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why it is hidden."))
        else:
            services.suggestion_hide(
                suggestion=suggestion, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Suggestion hidden."))
    elif action == "show":
        services.suggestion_unhide(suggestion=suggestion, user=request.user)
        messages.success(request, _("Suggestion shown again."))
    else:
        raise Http404
    if request.user.has_perm("recommendations.view_review", suggestion.version):
        return redirect(f"{suggestion.version.get_absolute_url()}#suggestion-{suggestion.pk}")
    return redirect(suggestion.version.recommendation.get_public_url())
