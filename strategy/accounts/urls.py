from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("profile/data.json", views.data_download, name="account_data"),
    path("profile/delete/", views.account_delete, name="account_delete"),
]
