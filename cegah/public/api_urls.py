from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file, which a strict CSP allows.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("v1/provinces/", api.ProvinceList.as_view(), name="api_provinces"),
    path("v1/pemda/", api.PemdaList.as_view(), name="api_pemda"),
    path("v1/catalogues/", api.CatalogueList.as_view(), name="api_catalogues"),
    path(
        "v1/catalogues/<int:year>/indicators/", api.IndicatorList.as_view(), name="api_indicators"
    ),
    path("v1/scores/<int:year>/", api.ScoreList.as_view(), name="api_scores"),
    path("v1/scores/<int:year>/areas/", api.AreaScoreList.as_view(), name="api_area_scores"),
    # The ranking is the score list: highest first, with ranks in the province and the kind.
    path("v1/rankings/<int:year>/", api.ScoreList.as_view(), name="api_rankings"),
    path("v1/awards/<int:year>/", api.AwardList.as_view(), name="api_awards"),
    path("v1/zi/designations/", api.DesignationList.as_view(), name="api_zi_designations"),
    path("v1/spi/<int:year>/", api.SpiList.as_view(), name="api_spi"),
    path("v1/profiles/", api.FiguresList.as_view(), name="api_profiles"),
]
