from django.urls import path

from . import editor, imports

app_name = "editor"

urlpatterns = [
    path("<int:pk>/edit/", editor.page, name="page"),
    path("<int:pk>/edit/remarks/", editor.state, name="state"),
    path("<int:pk>/edit/remarks/save/", editor.save, name="save"),
    path("<int:pk>/edit/paste/", editor.parse, name="parse"),
    path("<int:pk>/edit/preview/", editor.preview, name="preview"),
    # 회의록 파일에서 가져오기: upload, preview, create the draft.
    path("import/", imports.upload, name="import"),
    path("import/<uuid:token>/", imports.preview_page, name="import_preview"),
]
