from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from rules import views as rules_views
from rules.api import ServiceAPI, not_found
from rules.people import set_language
from screening import api as screening_api
from screening.dashboard import views as dashboard_views
from screening.views import cases, products, rulesets, uploads
from trade import api as trade_api
from trade import dashboard_views as trade_dashboard_views

# The API for ERP and other programs. Each app adds its router here.
api = ServiceAPI(
    routers=[
        ("", screening_api.router),
        ("/shipments", trade_api.router),
        ("/parties", trade_api.parties_router),
    ],
    title="Export-control screening API",
    version="1",
    description=(
        "Screen specs, store them, read determinations, decision records and changed cases; "
        "enter export orders and read their release-gate check, confirm or cancel them; save "
        "consignees and end users and read their candidate matches against China's lists. "
        "Send a token made by an administrator in Django admin: `Authorization: Bearer "
        "<token>`. Errors are problem details (RFC 9457)."
    ),
)

urlpatterns = [
    path("", products.home, name="home"),
    path("healthz", products.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch works before logging in too (the login page has it).
    # Django's language switch, which also remembers a signed-in person's choice.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("catalogue/", rules_views.catalogue, name="catalogue"),
    path("catalogue/confirm/", rules_views.confirm_status, name="confirm_status"),
    path("products/", products.product_list, name="product_list"),
    path("products/new/", products.spec_edit, name="product_new"),
    path("products/fields/", products.spec_fields, name="spec_fields"),
    path("products/<int:pk>/", products.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", products.spec_edit, name="product_edit"),
    path("products/<int:pk>/screen/", products.product_screen, name="product_screen"),
    path("specs/<int:pk>/", products.spec_detail, name="spec_detail"),
    path("screenings/<int:pk>/", products.screening_detail, name="screening_detail"),
    path("uploads/", uploads.upload_list, name="upload_list"),
    path("uploads/new/", uploads.upload_new, name="upload_new"),
    path("uploads/template.csv", uploads.template_csv, name="template_csv"),
    path("uploads/template.xlsx", uploads.template_xlsx, name="template_xlsx"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/import/", uploads.upload_commit, name="upload_commit"),
    path("uploads/<int:pk>/requeue/", uploads.upload_requeue, name="upload_requeue"),
    path("uploads/<int:pk>/errors/", uploads.upload_error_report, name="upload_errors"),
    path("uploads/<int:pk>/original/", uploads.upload_original, name="upload_original"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/section/", dashboard_views.dashboard_section, name="dashboard_section"),
    path("dashboard/<slug:section>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("trade/dashboard/", trade_dashboard_views.trade_dashboard, name="trade_dashboard"),
    path("rules/", rulesets.ruleset_list, name="ruleset_list"),
    path("rules/draft/", rulesets.ruleset_draft, name="ruleset_draft"),
    path("rules/<int:pk>/", rulesets.ruleset_detail, name="ruleset_detail"),
    path("rules/<int:pk>/preview/", rulesets.ruleset_preview, name="ruleset_preview"),
    path("rules/<int:pk>/publish/", rulesets.ruleset_publish, name="ruleset_publish"),
    path("rescreens/<int:pk>/", rulesets.rescreen_detail, name="rescreen_detail"),
    path("rescreens/<int:pk>/csv/", rulesets.rescreen_csv, name="rescreen_csv"),
    path("cases/", cases.case_list, name="case_list"),
    path("screenings/<int:screening_pk>/case/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:pk>/approve/", cases.case_approve, name="case_approve"),
    path("cases/<int:pk>/comment/", cases.case_comment, name="case_comment"),
    path("cases/<int:pk>/evidence/", cases.case_evidence, name="case_evidence"),
    path(
        "cases/<int:pk>/evidence/<int:evidence_pk>/",
        cases.evidence_download,
        name="evidence_download",
    ),
    path("cases/<int:pk>/record/", cases.case_record, name="case_record"),
    path("cases/<int:pk>/legal-hold/", cases.case_legal_hold, name="case_legal_hold"),
    path("cases/<int:pk>/adopt/", cases.case_adopt, name="case_adopt"),
    path("cases/<int:pk>/<slug:action>/", cases.case_transition, name="case_transition"),
    # The export side (trade/urls.py): shipments, licences, applications, parties, lists.
    path("trade/", include("trade.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Any other address under the API is a problem document, not the site's 404 page.
    path("api/v1/<path:rest>", not_found, name="api_not_found"),
]
