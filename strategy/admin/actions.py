"""Admin actions the core team uses in bulk: each asks for confirmation on a page of its
own, then says what it did."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from strategy import csv_export


@admin.action(description=_("Export the selection as CSV"))
def export_csv(modeladmin, request, queryset):
    fields = list(modeladmin.model._meta.fields)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = modeladmin.model._meta.model_name
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv_export.writer(response)
    writer.writerow([field.name for field in fields])
    for obj in queryset.iterator(chunk_size=1000):
        writer.writerow([field.value_from_object(obj) for field in fields])
    return response


def confirm(modeladmin, request, queryset, *, form, title, action, button, act):
    """Show `form` for the selected objects; once submitted and valid, run `act(form)`,
    which returns the message saying what was done."""
    if "confirm" in request.POST:
        bound = form(request.POST)
        if bound.is_valid():
            message = act(bound)
            modeladmin.message_user(request, message, level=messages.SUCCESS)
            return None
    else:
        bound = form()
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "objects": queryset,
            "form": bound,
            "action": action,
            "button": button,
            "opts": modeladmin.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )
