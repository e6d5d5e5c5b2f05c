from django.urls import path

from . import views

app_name = "coi"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("nyatakan/", views.declare, name="declare"),
    path("catat/", views.record, name="record"),
    path("<int:pk>/", views.declaration, name="declaration"),
    path("dokumen/<int:pk>/", views.document_download, name="document_download"),
    path("pernyataan/<int:year>/", views.statement, name="statement"),
    path("pemda/<str:code>/", views.register, name="register"),
    path("pemda/<str:code>/jabatan/", views.positions, name="positions"),
]
