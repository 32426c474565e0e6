"""The shared form macros (caseapp/templates/macros/forms.html) on a form made for the test: every kind of
field has its label, DKFDS's classes and its error tied to it, and the error summary links each error to an
element the page has (inner fields of a list included)."""

from __future__ import annotations

import re

from flask import render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from caseapp.forms import CheckboxesField, choices

PAGE = """{% from "macros/forms.html" import checkboxes, error_summary, field, select_field %}
{{ error_summary(form) }}{{ field(form.note) }}{{ field(form.topics) }}
{{ select_field(form.programme, [(1, 'Fritidsjob'), (2, 'Mentor')], blank='Vælg') }}
{% for entry in form.cells %}<input id="{{ entry.form.count.id }}">{% endfor %}"""


class Cell(FlaskForm):
    class Meta:
        csrf = False

    count = IntegerField("Count", validators=[InputRequired(), NumberRange(0)])


class Sample(FlaskForm):
    class Meta:
        csrf = False

    note = TextAreaField("Note", validators=[DataRequired(), Length(max=20)])
    topics = CheckboxesField("Topics", choices=choices([("a", "A"), ("b", "B")]), validators=[DataRequired()])
    programme = IntegerField("Programme", validators=[InputRequired()])
    cells = FieldList(FormField(Cell), label="Cells", min_entries=0)


def _rendered(app, data: dict) -> str:
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict(data))
        form.validate()
        return render_template_string(PAGE, form=form)


def test_every_error_in_the_summary_links_an_element_on_the_page(app):
    html = _rendered(app, {"note": "x" * 25, "programme": "abc", "cells-0-count": "1", "cells-1-count": "many"})
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert set(links) == {"note", "topics", "programme", "cells-1-count"}
    for target in links:
        assert f'id="{target}"' in html, target
    assert "{" not in html.split("data-error-summary")[1].split("</div>")[0]  # no dict of a list's errors


def test_fields_carry_the_design_systems_classes_and_their_errors(app):
    html = _rendered(app, {"note": "x" * 25, "programme": "2"})
    note = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'class="form-input"' in note and 'data-maxlength="20"' in note and " maxlength=" not in note
    assert 'aria-describedby="note-count note-error"' in note and 'aria-invalid="true"' in note
    assert 'id="note-count"' in html and 'class="error form-error-message" id="note-error"' in html
    # Checkboxes: a fieldset named by its legend; the list keeps the field's id and takes the summary's focus.
    assert re.search(r'<fieldset[^>]*aria-describedby="topics-error"', html)
    assert '<legend class="form-label">Topics' in html
    assert re.search(r'<ul[^>]*id="topics"[^>]*tabindex="-1"|<ul[^>]*tabindex="-1"[^>]*id="topics"', html)
    # A listed select keeps the value sent.
    assert re.search(r'<select id="programme" name="programme" class="form-select"', html)
    assert '<option value="2" selected>Mentor</option>' in html and '<option value="">Vælg</option>' in html
