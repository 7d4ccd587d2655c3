"""The web form's HTML: labels in the form's language, accessible fields, the error summary and
repeats that work without JavaScript."""

import re

from django.template.loader import render_to_string
from django.utils import translation

from mercuryhub.forms.webform.answers import initial_data
from mercuryhub.forms.webform.rendering import build_webform
from mercuryhub.forms.webform.repeats import apply_repeat_button
from mercuryhub.forms.webform.survey import choose_language
from mercuryhub.forms.webform.validation import validate_submission

from .conftest import answers


def render(survey, language_code="en", data=None, errors=None, focus=None):
    with translation.override(language_code):
        language = choose_language(survey, language_code)
        webform = build_webform(survey, language, data, errors, focus)
        return render_to_string("forms/webform/form.html", {"webform": webform})


def _tag(html, pattern):
    found = re.search(pattern, html)
    assert found, pattern
    return found.group(0)


def test_it_shows_the_labels_hints_and_choices_in_french(site):
    html = render(site, "fr", initial_data(site))
    assert '<span dir="auto" lang="fr">Nom du site</span>' in html
    assert "Comme on l&#x27;appelle" in html
    assert '<label for="wf-uses_mercury-0" dir="auto" lang="fr">Oui</label>' in html
    assert "(obligatoire)" in html
    assert "Ajouter" in html


def test_it_ties_each_input_to_its_label_and_hint(site):
    html = render(site, "en", initial_data(site))
    assert '<label for="wf-site_name">' in html
    site_name = _tag(html, r'<input type="text" id="wf-site_name"[^>]*>')
    assert 'name="site_name"' in site_name
    assert 'aria-describedby="wf-site_name-hint"' in site_name
    assert " required" in site_name
    assert 'id="wf-site_name-hint"' in html
    assert 'inputmode="numeric"' in _tag(html, r'<input [^>]*id="wf-miners"[^>]*>')
    assert '<span class="required-mark">(required)</span>' in html


def test_it_marks_a_wrong_answer_and_links_its_message(site):
    data = answers(miners="many", site_name="")
    _values, errors = validate_submission(site, data)
    html = render(site, "en", data, errors)
    miners = _tag(html, r'<input [^>]*id="wf-miners"[^>]*>')
    assert 'aria-invalid="true"' in miners
    assert 'aria-describedby="wf-miners-error"' in miners
    assert 'value="many"' in miners
    assert '<p class="field-error" id="wf-miners-error">' in html


def test_it_sums_up_the_errors_at_the_top_with_links_to_the_fields(site):
    data = answers(site_name="", uses_mercury=None, **{"_count:household": "3"})
    _values, errors = validate_submission(site, data)
    html = render(site, "en", data, errors)
    summary = html[html.index('id="error-summary"') : html.index("</ul>")]
    links = re.findall(r'<a href="([^"]+)"><bdi[^>]*>([^<]+)</bdi>: ([^<]+)</a>', summary)
    assert links == [
        ("#wf-site_name", "Site name", "This question is required."),
        ("#wf-uses_mercury-0", "Is mercury used?", "This question is required."),
        ("#wf-household[2]/head", "Head of household (Household 3)", "This question is required."),
    ]
    assert html.index('id="error-summary"') < html.index('id="wf-site_name"')


def test_it_draws_a_select_one_as_radio_buttons_in_a_fieldset(site):
    html = render(site, "en", answers())
    fieldset = _tag(html, r'<fieldset class="choice-group[^"]*" id="wf-uses_mercury"[^>]*>')
    assert 'data-path="uses_mercury"' in fieldset
    yes = _tag(html, r'<input type="radio" id="wf-uses_mercury-0"[^>]*>')
    assert yes == (
        '<input type="radio" id="wf-uses_mercury-0" name="uses_mercury" value="yes"'
        " checked required>"
    )


def test_it_draws_a_minimal_select_one_as_a_dropdown(site):
    html = render(site, "en", answers())
    assert '<select id="wf-processing/retort" name="processing/retort" required>' in html
    assert '<option value="no" selected dir="auto" lang="en">No</option>' in html


def test_it_draws_a_select_multiple_as_checkboxes(site):
    html = render(site, "en", answers())
    assert (
        '<input type="checkbox" id="wf-practices-1" name="practices" value="open_burning" checked>'
        in html
    )
    assert 'value="cyanide">' in html


def test_it_draws_groups_and_repeat_instances_as_fieldsets(site):
    html = render(site, "en", answers())
    assert '<fieldset class="webform-group" id="wf-processing" data-path="processing">' in html
    assert 'id="wf-household[1]" data-path="household[1]" data-repeat-instance>' in html
    assert '<input type="hidden" name="_count:household" value="2" data-repeat-count>' in html


def test_it_offers_add_and_remove_buttons_that_submit_the_form(site):
    html = render(site, "en", answers())
    add = _tag(html, r'<button type="submit"[^>]*name="_add"[^>]*>')
    assert 'value="household"' in add
    remove = _tag(html, r'<button type="submit"[^>]*name="_remove" value="household\[1\]"[^>]*>')
    assert "formnovalidate" in remove
    assert html.index("webform-default-submit") < html.index('name="_remove"')


def test_it_focuses_the_first_field_of_an_added_instance(site):
    data, focus = apply_repeat_button(site, answers(_add="household"))
    html = render(site, "en", data, focus=focus)
    head = _tag(html, r'<input [^>]*id="wf-household\[2\]/head"[^>]*>')
    assert "autofocus" in head
    assert html.count("autofocus") == 1


def test_it_keeps_a_blank_instance_for_the_page_script_to_copy(site):
    html = render(site, "en", answers())
    blank = html[html.index("<template") : html.index("</template>")]
    assert 'data-placeholder="__INDEX0__"' in blank
    assert 'name="household[__INDEX0__]/head"' in blank


def test_it_draws_a_geopoint_as_latitude_and_longitude_with_their_ranges(site):
    html = render(site, "en", answers())
    latitude = _tag(html, r'<input type="number" id="wf-location:lat"[^>]*>')
    assert all(part in latitude for part in ('min="-90"', 'max="90"', 'value="6.17"'))
    longitude = _tag(html, r'<input type="number" id="wf-location:lon"[^>]*>')
    assert all(part in longitude for part in ('min="-180"', 'max="180"', 'value="-0.55"'))
    assert 'data-world-url="/basemap/world.json"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html


def test_it_writes_answers_into_labels_that_refer_to_them(site):
    html = render(site, "fr", answers(site_name="Kibi"))
    assert '<p dir="auto" lang="fr">Merci, Kibi</p>' in html


def test_it_leaves_calculations_out_and_loads_scripts_only_from_files(site):
    html = render(site, "en", answers())
    assert "household_count" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_it_renders_a_form_without_languages_and_without_repeats():
    from .conftest import survey_of

    survey = survey_of([["type", "name", "label", "hint"], ["text", "notes", "Notes", "Free text"]])
    html = render(survey, "ar", initial_data(survey))
    assert '<span dir="auto">Notes</span>' in html
    assert "leaflet" not in html
