"""The shared partials other pages include: form, pagination, empty state."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the licence.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], required=False)
    agree = forms.BooleanField(label="Agree", required=False)
    colours = forms.MultipleChoiceField(
        label="Colours",
        choices=[("r", "Red"), ("g", "Green")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def test_form_include_renders_bootstrap_fields_errors_and_help():
    """Errors sit under their field (is-invalid), non-field errors on top, required marked."""
    form = SampleForm({"name": "", "colours": ["g"]})
    assert not form.is_valid()
    html = render_to_string("includes/form.html", {"form": form})
    assert html.index("The whole form is wrong.") < html.index('name="name"')
    assert 'class="form-control is-invalid"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html
    assert str(forms.Field.default_error_messages["required"]) in html
    assert 'id="id_name_helptext">As on the licence.' in html
    assert 'class="form-select"' in html
    assert 'class="form-check-input"' in html  # the checkbox
    assert 'value="g" id="id_colours_1" checked' in html
    # Only "name" is required: one visible marker.
    assert html.count('<span class="text-danger" aria-hidden="true"> *</span>') == 1


def test_pagination_keeps_the_query_string_and_swaps_with_htmx():
    request = RequestFactory().get("/list/", {"q": "压铸", "region": "331121", "page": "2"})
    page_obj = Paginator(list(range(100)), 10).get_page(2)
    html = render_to_string(
        "includes/pagination.html",
        {"page_obj": page_obj, "hx_target": "#results"},
        request=request,
    )
    assert 'href="/list/?q=%E5%8E%8B%E9%93%B8&amp;region=331121&amp;page=3"' in html
    assert 'hx-target="#results"' in html
    assert 'aria-current="page"' in html
    assert "…" in html  # elided range for ten pages

    plain = render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request)
    assert "hx-get" not in plain and "page=1" in plain


def test_pagination_is_silent_for_a_single_page():
    request = RequestFactory().get("/list/")
    page_obj = Paginator([1, 2], 10).get_page(1)
    html = render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request)
    assert html.strip() == ""


def test_empty_state_with_and_without_action():
    html = render_to_string(
        "includes/empty_state.html",
        {"message": "Nothing yet.", "action_url": "/new/", "action_label": "Add one"},
    )
    assert "Nothing yet." in html and 'href="/new/"' in html and "Add one" in html
    bare = render_to_string("includes/empty_state.html", {"message": "Nothing yet."})
    assert "href" not in bare
