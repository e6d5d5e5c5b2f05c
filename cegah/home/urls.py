from django.urls import path

from . import views

# The namespace "home" and its "" (the site's address, config/views.py) are made in
# config/urls.py.
urlpatterns = [
    path("benturan-kepentingan/<str:code>/terkait/", views.coi_related, name="coi_related"),
]
