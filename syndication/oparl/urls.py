from django.urls import path

from . import views

urlpatterns = [
    path("", views.system, name="oparl-system"),
    path("body/", views.body_list, name="oparl-body-list"),
    path("body/<int:site_id>/", views.body, name="oparl-body"),
    path(
        "body/<int:site_id>/organization/", views.body_organization, name="oparl-body-organization"
    ),
    path("body/<int:site_id>/person/", views.body_person, name="oparl-body-person"),
    path("body/<int:site_id>/meeting/", views.body_meeting, name="oparl-body-meeting"),
    path("body/<int:site_id>/paper/", views.body_paper, name="oparl-body-paper"),
    path("organization/<uuid:key>/", views.organization, name="oparl-organization"),
    path(
        "organization/<uuid:key>/meeting/",
        views.organization_meeting,
        name="oparl-organization-meeting",
    ),
    path("meeting/<uuid:key>/", views.meeting, name="oparl-meeting"),
    path("agendaitem/<int:pk>/", views.agenda_item, name="oparl-agendaitem"),
    path("person/<uuid:key>/", views.person, name="oparl-person"),
    path("membership/<int:pk>/", views.membership, name="oparl-membership"),
    path("file/<int:pk>/", views.file, name="oparl-file"),
]
