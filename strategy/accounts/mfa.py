from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext


class StaffSecondFactorMiddleware:
    """Staff (the core team among them) reach the admin only with a second factor: one
    without an authenticator app is sent to set one up first.

    STAFF_SECOND_FACTOR_REQUIRED turns it off (the test settings do; the tests of the
    second factor turn it on).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_SECOND_FACTOR_REQUIRED
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user, types=["totp"])
        ):
            messages.info(
                request,
                gettext(
                    "Staff accounts need a second factor. Set up an authenticator app to "
                    "continue to the admin."
                ),
            )
            # allauth shows the recovery codes after activation, then the person goes on.
            return redirect("mfa_activate_totp")
        return self.get_response(request)
