from django.urls import path

from maillage.observatory import views

app_name = "observatory"
urlpatterns = [
    path("observatoire/", views.index, name="index"),
    path("observatoire/territoires/<int:pk>/", views.territory_profile, name="profile"),
    path("observatoire/comparer/", views.compare, name="compare"),
    path("observatoire/flux/", views.flows, name="flows"),
    path("observatoire/contours.geojson", views.outlines, name="outlines"),
]
