from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from strategy.models import affiliation_text
from strategy.sessions import signed_in_with_wikimedia

from . import services
from .forms import InvitationForm, InvitationSignupForm
from .models import WorkingGroup

# The status each unusable invitation answers with, and what it tells the person.
INVITATION_ERRORS = {
    "invalid": 404,
    "expired": 410,
    "used": 410,
    "wrong_user": 403,
}


@login_required
@require_http_methods(["GET", "POST"])
def group_invite(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("groups.invite_member", group):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, group=group, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            working_group=group, invited_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("Invitation sent to %(email)s.") % {"email": invitation.email},
        )
        return redirect(group)
    return render(request, "groups/invitation_form.html", {"group": group, "form": form})


def _invitation_action(request: HttpRequest, slug: str, pk: int, service, done: str):
    """Resend or revoke one of the group's invitations (the core team's), then back to the
    group's page, which lists them; a refusal says why there."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("groups.manage_invitations", group):
        raise PermissionDenied
    invitation = get_object_or_404(group.invitations, pk=pk)
    try:
        service(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect(f"{group.get_absolute_url()}#invitations-heading")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_action(
        request, slug, pk, services.invitation_resend, _("Invitation sent again to %(email)s.")
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _invitation_action(
        request, slug, pk, services.invitation_revoke, _("Invitation to %(email)s revoked.")
    )


def _invitation_error(request, error: services.InvitationError, invitation=None):
    return render(
        request,
        "groups/invitation_error.html",
        {"code": error.code, "invitation": invitation},
        status=INVITATION_ERRORS[error.code],
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """One link for every case: a new person sets a password, a signed-in person confirms,
    a person with an account signs in first, anyone may sign in with their Wikimedia
    account instead (whatever its address); unusable links say why."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return _invitation_error(request, error)
    via_wikimedia = signed_in_with_wikimedia(request=request)
    try:
        services.invitation_check(
            invitation=invitation, user=request.user, via_wikimedia=via_wikimedia
        )
    except services.InvitationError as error:
        return _invitation_error(request, error, invitation)
    group = invitation.working_group
    context = {"invitation": invitation, "group": group}

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(
                    invitation=invitation, user=request.user, via_wikimedia=via_wikimedia
                )
            except services.InvitationError as error:
                return _invitation_error(request, error, invitation)
            messages.success(request, _("Welcome to %(group)s.") % {"group": group.name})
            return redirect(group)
        context["other_address"] = request.user.email.casefold() != invitation.email.casefold()
        context["affiliation"] = affiliation_text(
            affiliation=services.invitation_affiliation(invitation=invitation, user=request.user),
            organization=request.user.organization,
        )
        return render(request, "groups/invitation_confirm.html", context)

    if services.account_exists(email=invitation.email):
        context["login_url"] = reverse("login") + "?next=" + request.path
        return render(request, "groups/invitation_signin.html", context)

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = services.invitation_accept_as_new_user(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.InvitationError as error:
            return _invitation_error(request, error, invitation)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(group)s.") % {"group": group.name})
            return redirect(group)
    context["form"] = form
    return render(request, "groups/invitation_signup.html", context)
