from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("benturan-kepentingan/<str:code>/terkait/", views.coi_related, name="coi_related"),
]
