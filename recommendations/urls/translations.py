from django.urls import path

from recommendations.views import translations

app_name = "translations"

# The translators' tools are working pages: under /workspace/ like the others.
urlpatterns = [
    path("workspace/translations/", translations.translation_table, name="table"),
    path(
        "workspace/translations/<id:pk>/<str:language>/",
        translations.translation_edit,
        name="edit",
    ),
    path(
        "workspace/translations/<id:pk>/<str:language>/ready/",
        translations.translation_ready,
        name="ready",
    ),
    path(
        "workspace/translations/<id:pk>/<str:language>/po/",
        translations.translation_po_download,
        name="po_download",
    ),
    path(
        "workspace/translations/<id:pk>/<str:language>/xliff/",
        translations.translation_xliff_download,
        name="xliff_download",
    ),
    path(
        "workspace/translations/<id:pk>/<str:language>/upload/",
        translations.translation_file_upload,
        name="file_upload",
    ),
    path(
        "workspace/translations/iterations/<slug:slug>/<str:language>/",
        translations.iteration_files,
        name="iteration_files",
    ),
    path(
        "workspace/translations/iterations/<slug:slug>/<str:language>/ready/",
        translations.iteration_language_ready,
        name="iteration_ready",
    ),
    path(
        "workspace/translations/iterations/<slug:slug>/<str:language>/po/",
        translations.iteration_po_download,
        name="iteration_po_download",
    ),
    path(
        "workspace/translations/iterations/<slug:slug>/<str:language>/xliff/",
        translations.iteration_xliff_download,
        name="iteration_xliff_download",
    ),
]
