from django.urls import path

from . import views

app_name = "spi"

urlpatterns = [path("impor/", views.scores_import_page, name="import")]
