from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rules import views as rules_views
from screening import views

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
    path("admin/", admin.site.urls),
]
