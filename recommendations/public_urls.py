from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("recommendations/", public.recommendation_list, name="list"),
    path(
        "recommendations/export.<str:format>",
        public.recommendation_export,
        name="export",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/",
        public.recommendation_public,
        name="recommendation",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/compare/",
        public.recommendation_compare,
        name="compare",
    ),
    path("iterations/compare/", public.iteration_compare, name="iteration_compare"),
    path("iterations/<slug:slug>/", public.iteration_detail, name="iteration"),
    path("iterations/<slug:slug>/pdf/", public.iteration_pdf, name="iteration_pdf"),
    # The translators' tools are working pages: under /workspace/ like the others.
    path("workspace/translations/", public.translation_table, name="translations"),
    path(
        "workspace/translations/<id:pk>/<str:language>/",
        public.translation_edit,
        name="translate",
    ),
]
