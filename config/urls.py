from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from rules import views as rules_views
from rules.api import ServiceAPI, not_found
from screening import api as screening_api
from screening import case_views, ruleset_views, upload_views, views
from screening.dashboard import views as dashboard_views

# The API for ERP and other programs. Each app adds its router here; the shipments endpoints
# (scope write_shipments) join as ("/shipments", trade.api.router) when the shipments app lands.
api = ServiceAPI(
    routers=[("", screening_api.router)],
    title="Export-control screening API",
    version="1",
    description=(
        "Screen specs, store them, read determinations, decision records and changed cases. "
        "Send a token made by an administrator in Django admin: `Authorization: Bearer "
        "<token>`. Errors are problem details (RFC 9457)."
    ),
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch works before logging in too (the login page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("catalogue/", rules_views.catalogue, name="catalogue"),
    path("catalogue/confirm/", rules_views.confirm_status, name="confirm_status"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.spec_edit, name="product_new"),
    path("products/fields/", views.spec_fields, name="spec_fields"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.spec_edit, name="product_edit"),
    path("products/<int:pk>/screen/", views.product_screen, name="product_screen"),
    path("specs/<int:pk>/", views.spec_detail, name="spec_detail"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("uploads/", upload_views.upload_list, name="upload_list"),
    path("uploads/new/", upload_views.upload_new, name="upload_new"),
    path("uploads/template.csv", upload_views.template_csv, name="template_csv"),
    path("uploads/template.xlsx", upload_views.template_xlsx, name="template_xlsx"),
    path("uploads/<int:pk>/", upload_views.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/import/", upload_views.upload_commit, name="upload_commit"),
    path("uploads/<int:pk>/requeue/", upload_views.upload_requeue, name="upload_requeue"),
    path("uploads/<int:pk>/errors/", upload_views.upload_error_report, name="upload_errors"),
    path("uploads/<int:pk>/original/", upload_views.upload_original, name="upload_original"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/section/", dashboard_views.dashboard_section, name="dashboard_section"),
    path("dashboard/<slug:section>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("rules/", ruleset_views.ruleset_list, name="ruleset_list"),
    path("rules/draft/", ruleset_views.ruleset_draft, name="ruleset_draft"),
    path("rules/<int:pk>/", ruleset_views.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/preview/", ruleset_views.ruleset_preview, name="ruleset_preview"),
    path("rules/<int:pk>/publish/", ruleset_views.ruleset_publish, name="ruleset_publish"),
    path("rescreens/<int:pk>/", ruleset_views.rescreen_detail, name="rescreen_detail"),
    path("rescreens/<int:pk>/csv/", ruleset_views.rescreen_csv, name="rescreen_csv"),
    path("cases/", case_views.case_list, name="case_list"),
    path("screenings/<int:screening_pk>/case/", case_views.case_create, name="case_create"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<int:pk>/approve/", case_views.case_approve, name="case_approve"),
    path("cases/<int:pk>/comment/", case_views.case_comment, name="case_comment"),
    path("cases/<int:pk>/evidence/", case_views.case_evidence, name="case_evidence"),
    path(
        "cases/<int:pk>/evidence/<int:evidence_pk>/",
        case_views.evidence_download,
        name="evidence_download",
    ),
    path("cases/<int:pk>/record/", case_views.case_record, name="case_record"),
    path("cases/<int:pk>/legal-hold/", case_views.case_legal_hold, name="case_legal_hold"),
    path("cases/<int:pk>/adopt/", case_views.case_adopt, name="case_adopt"),
    path("cases/<int:pk>/<slug:action>/", case_views.case_transition, name="case_transition"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Any other address under the API is a problem document, not the site's 404 page.
    path("api/v1/<path:rest>", not_found, name="api_not_found"),
]
