from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.ExportListView.as_view(), name="list"),
    path("new/", views.ExportCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ExportDetailView.as_view(), name="detail"),
    path("<int:pk>/file/", views.ExportFileView.as_view(), name="file"),
]
