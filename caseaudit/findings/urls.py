from django.urls import path

from caseaudit.findings import views

urlpatterns = [
    path("audits/<int:pk>/findings/", views.findings_overview, name="findings"),
    path("audits/<int:pk>/findings/texts/", views.report_text_edit, name="findings_texts"),
    path(
        "audits/<int:pk>/findings/recommendation/<int:item_pk>/actions/",
        views.recommendation_actions,
        name="findings_recommendation_actions",
    ),
    path(
        "audits/<int:pk>/findings/recommendation/<int:item_pk>/actions/<int:action_pk>/unlink/",
        views.recommendation_action_unlink,
        name="findings_recommendation_action_unlink",
    ),
    path("audits/<int:pk>/findings/<slug:kind>/new/", views.item_edit, name="findings_item_new"),
    path(
        "audits/<int:pk>/findings/<slug:kind>/<int:item_pk>/",
        views.item_edit,
        name="findings_item_edit",
    ),
    path(
        "audits/<int:pk>/findings/<slug:kind>/<int:item_pk>/delete/",
        views.item_delete,
        name="findings_item_delete",
    ),
    path(
        "audits/<int:pk>/findings/<slug:kind>/<int:item_pk>/move/",
        views.item_move,
        name="findings_item_move",
    ),
    path(
        "audits/<int:pk>/findings/finding/<int:item_pk>/quotes/",
        views.quote_add,
        name="findings_quote_add",
    ),
    path(
        "audits/<int:pk>/findings/finding/<int:item_pk>/quotes/<int:quote_pk>/remove/",
        views.quote_remove,
        name="findings_quote_remove",
    ),
]
