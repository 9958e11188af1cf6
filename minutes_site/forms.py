"""Bootstrap 5 form rendering with Django's own machinery, for busy pages.

crispy-forms builds every field through its layout objects and half a dozen
nested templates per field on every request: on the minutes editor that was
most of the page's time. A form that mixes in ``BootstrapForm`` gets the
same classes on its widgets from its bound fields instead, and its page lays
the fields out in a plain template with ``templates/forms/_field.html``:
the same ids, labels, help texts and error markup (``is-invalid`` on the
widget, ``.invalid-feedback`` after it) as crispy's bootstrap5 pack.

Every form's widgets (settings.FORM_RENDERER, the admin's too) are printed
by ``FlatWidgets``: Django's own widget templates, except that input,
textarea and select come from ``form_templates/`` where the ``{% include %}``
of ``attrs.html`` and of every ``<option>`` is written inline (one template
render per option was the rest of the editor's time, and most of the admin's
meeting page). They print exactly what Django's own print
(tests/test_speed.py compares them).
"""

from pathlib import Path

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


def bootstrap_class(widget):
    """Bootstrap's class for a widget: a check box, a select or a text control."""
    if widget.is_hidden:
        return ""
    if getattr(widget, "input_type", None) in ("checkbox", "radio"):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = bootstrap_class(widget)
        if css:
            if self.errors:
                css += " is-invalid"
            # What is passed replaces the widget's own attrs: keep its classes.
            own = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{own} {css}".strip()
        return attrs


class FlatWidgets(DjangoTemplates):
    """Django's form renderer, looking in form_templates/ before Django's own templates."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(forms.__file__).parent / "templates",
                ],
                "NAME": "flatwidgets",
                "OPTIONS": {},
            }
        )


class BootstrapForm:
    """Mix into a Form or ModelForm (before it) to render its widgets Bootstrap's way."""

    bound_field_class = BootstrapBoundField
