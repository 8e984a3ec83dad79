"""The shared admin actions speak the language active when the admin page is drawn."""

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse
from django.utils import translation

from groups.models import WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "Export the selection as CSV"),
        ("zh-hans", "\u5c06\u6240\u9009\u9879\u5bfc\u51fa\u4e3a CSV"),
        ("arz", "\u0635\u062f\u0651\u0631 \u0627\u0644\u0645\u062e\u062a\u0627\u0631 CSV"),
    ],
)
def test_the_export_action_is_labelled_in_the_active_language(
    rf, admin_user, working_group, language, label
):
    """The label is translated when the changelist's action dropdown is drawn, not once when
    the module is imported (in whatever language was active then). The changelist view is
    called directly: the admin's address has no language prefix, so LocaleMiddleware would
    show it in English whatever the request asks for."""
    request = rf.get(reverse("admin:groups_workinggroup_changelist"))
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = admin.site.get_model_admin(WorkingGroup)
    with translation.override(language):
        response = model_admin.changelist_view(request)
        response.render()
    assert response.status_code == 200
    assert f'<option value="export_csv">{label}</option>' in response.content.decode()
