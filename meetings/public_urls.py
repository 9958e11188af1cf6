"""The public side: published minutes for anyone, without a login (issue 13).

Addresses are readable and say what they show (committee, year, 차수), never
a database id; only published versions appear here, in their public form.
"""

from django.urls import path  # noqa: F401  (the public pages add their routes here)

app_name = "public"

urlpatterns = []
