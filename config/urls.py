from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rules import views as rules_views
from screening import case_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalogue/", rules_views.catalogue, name="catalogue"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.spec_edit, name="product_new"),
    path("products/fields/", views.spec_fields, name="spec_fields"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.spec_edit, name="product_edit"),
    path("products/<int:pk>/screen/", views.product_screen, name="product_screen"),
    path("specs/<int:pk>/", views.spec_detail, name="spec_detail"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening_detail"),
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
    path("cases/<int:pk>/<slug:action>/", case_views.case_transition, name="case_transition"),
    path("admin/", admin.site.urls),
]
