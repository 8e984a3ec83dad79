import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AccountDeleteForm, ProfileForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "affiliation": user.affiliation,
            "organization": user.organization,
            "translates_into": selectors.user_translator_languages(user=user),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            # The person's row is as it was (the service's transaction): read it again,
            # so the page around the form shows what is saved, the form what was typed.
            user.refresh_from_db()
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            url = reverse("account_profile")
            # The page again, in the language just chosen.
            return redirect(translate_url(url, user.language) if user.language else url)
    return render(
        request,
        "account/profile.html",
        {"form": form, "delete_form": AccountDeleteForm(), **selectors.user_profile(user=user)},
        status=422 if form.errors else 200,
    )


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    data = selectors.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that the account is to be deleted."))
        return redirect("account_profile")
    services.user_account_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account is deleted. What you wrote stays, unsigned."))
    return redirect("home")
