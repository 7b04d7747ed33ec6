"""The export side's pages, under /trade/ (config/urls.py includes this once). URL names are
global, as the screening app's are: the models' get_absolute_url and the gate's "what clears
it" links (trade.reasons.CLEARED_ON) reverse them by name."""

from django.urls import path

from trade.views import applications, licences, lists, parties, shipments, uploads, work

urlpatterns = [
    path("my-work/", work.my_work, name="trade_work"),
    # Shipments and the release gate
    path("shipments/", shipments.shipment_list, name="shipment_list"),
    path("shipments/new/", shipments.shipment_new, name="shipment_new"),
    path("shipments/<int:pk>/", shipments.shipment_detail, name="shipment_detail"),
    path("shipments/<int:pk>/check/", shipments.shipment_recheck, name="shipment_recheck"),
    path("shipments/<int:pk>/override/", shipments.shipment_override, name="shipment_override"),
    path("shipments/<int:pk>/export/", shipments.shipment_export, name="shipment_export"),
    path("shipments/<int:pk>/cancel/", shipments.shipment_cancel, name="shipment_cancel"),
    # Uploads of shipments and parties
    path("uploads/<slug:kind>/new/", uploads.trade_upload_new, name="trade_upload_new"),
    path(
        "uploads/<slug:kind>/template.csv",
        uploads.trade_upload_template,
        name="trade_upload_template",
    ),
    path("uploads/<int:pk>/", uploads.trade_upload_detail, name="trade_upload_detail"),
    path("uploads/<int:pk>/import/", uploads.trade_upload_commit, name="trade_upload_commit"),
    path("uploads/<int:pk>/errors/", uploads.trade_upload_errors, name="trade_upload_errors"),
    # Licences
    path("licences/", licences.licence_list, name="licence_list"),
    path("licences/record/", licences.licence_record, name="licence_record"),
    path("licences/<int:pk>/", licences.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/amend/", licences.licence_amend, name="licence_amend"),
    path("licences/<int:pk>/status/", licences.licence_status, name="licence_status"),
    # Licence applications
    path("applications/", applications.application_list, name="application_list"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/documents/",
        applications.application_document,
        name="application_document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        applications.application_document_download,
        name="application_document_download",
    ),
    path("applications/<int:pk>/file/", applications.application_file, name="application_file"),
    path(
        "applications/<int:pk>/refuse/", applications.application_refuse, name="application_refuse"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/package/",
        applications.application_package,
        name="application_package",
    ),
    path("applications/<int:application_pk>/grant/", licences.licence_grant, name="licence_grant"),
    # Parties and their candidate matches
    path("parties/", parties.party_list, name="party_list"),
    path("parties/new/", parties.party_new, name="party_new"),
    path("parties/<int:pk>/", parties.party_detail, name="party_detail"),
    path("parties/<int:pk>/edit/", parties.party_edit, name="party_edit"),
    path("matches/<int:pk>/<slug:action>/", parties.party_match_decide, name="party_match_decide"),
    # China's lists
    path("lists/", lists.list_standing, name="list_standing"),
    path("lists/upload/", lists.list_upload, name="list_upload"),
    path("lists/<int:pk>/", lists.list_version_detail, name="list_version_detail"),
    path("lists/<int:pk>/publish/", lists.list_version_publish, name="list_version_publish"),
    path("lists/<int:pk>/confirm/", lists.list_version_confirm, name="list_version_confirm"),
]
