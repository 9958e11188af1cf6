from django.urls import path

from . import editor

app_name = "editor"

urlpatterns = [
    path("<int:pk>/edit/", editor.page, name="page"),
    path("<int:pk>/edit/remarks/", editor.state, name="state"),
    path("<int:pk>/edit/remarks/save/", editor.save, name="save"),
    path("<int:pk>/edit/paste/", editor.parse, name="parse"),
    path("<int:pk>/edit/preview/", editor.preview, name="preview"),
]
