from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportCreateView.as_view(), name="create"),
    path("template.<str:fmt>", views.ImportTemplateView.as_view(), name="template"),
    path("example-night-sheet.csv", views.ImportExampleView.as_view(), name="example"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("<int:pk>/cancel/", views.ImportCancelView.as_view(), name="cancel"),
]
