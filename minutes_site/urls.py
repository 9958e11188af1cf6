from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from meetings.api import api

from .accounts import AdminLoginForm, LoginForm

admin.site.site_header = _("Committee minutes administration")
admin.site.site_title = _("Committee minutes")
admin.site.index_title = _("Committees, meetings and minutes")
admin.site.login_form = AdminLoginForm

handler400 = "minutes_site.errors.bad_request"
handler403 = "minutes_site.errors.permission_denied"
handler404 = "minutes_site.errors.page_not_found"


class FaviconView(RedirectView):
    """/favicon.ico: the icon's static address (hashed in production, hence per request)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:list", permanent=False)),
    # Browsers ask for /favicon.ico whatever a page links to (the admin's pages,
    # a PDF opened in a tab): the site's own icon, never a 404.
    path("favicon.ico", FaviconView.as_view()),
    path("meetings/", include("meetings.urls")),
    path("meetings/", include("agenda.editor_urls")),
    path("review/", include("agenda.urls")),
    path("committees/", include("committees.urls")),
    path("public/", include("meetings.public_urls")),
    path("api/", api.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
