"""Translators' forms: one field per translation unit of a language."""

import re

from django import forms
from django.utils.safestring import SafeString, mark_safe

from recommendations.models import Recommendation
from recommendations.text import translation_units
from recommendations.text.diffing import diff_html
from recommendations.text.markdown import render_markdown
from recommendations.validators import validate_body_size

TITLE_MAX_LENGTH = Recommendation._meta.get_field("title").max_length

_HEADING = re.compile(r"<(/?)h[1-6]>")


def source_html(unit: translation_units.Unit) -> SafeString | str:
    """A body unit's source as the public reads it (links, emphasis, a list item after its
    mark), beside the field where its Markdown is edited; its heading a paragraph, so that
    the page's outline stays the page's. The title and summary are plain text: ""."""
    if not unit.key.startswith("body."):
        return ""
    html = str(render_markdown(unit.shown(unit.source)))
    # The renderer's own tags, after sanitising: no text of the source can match.
    html = _HEADING.sub(lambda m: "</p>" if m.group(1) else '<p class="unit-heading">', html)
    return mark_safe(html)  # noqa: S308 - sanitised above, only its tags renamed


class TranslationForm(forms.Form):
    def __init__(
        self,
        *args,
        status: translation_units.Status,
        drafts: dict | None = None,
        proofreads: frozenset[str] = frozenset(),
        memory: dict | None = None,
        glossary: dict | None = None,
        **kwargs,
    ):
        """`drafts`: by unit key, the drafts waiting for proofreading (a unit's field
        starts from its draft); `proofreads`: the keys of those the person may mark
        ready; `memory` and `glossary`: by unit key, the translation memory's matches and
        the glossary terms shown beside it."""
        super().__init__(*args, **kwargs)
        self.status = status
        self.drafts = drafts or {}
        self.proofreads = proofreads
        self.memory = memory or {}
        self.glossary = glossary or {}
        for unit in status.units:
            draft = self.drafts.get(unit.key)
            widget = forms.TextInput if unit.key == "title" else forms.Textarea(attrs={"rows": 4})
            self.fields[unit.key] = forms.CharField(
                label=unit.source,
                required=False,
                widget=widget,
                initial=draft.text if draft else (unit.text if unit.translated else ""),
                # The limits the service checks, as form errors.
                max_length=TITLE_MAX_LENGTH if unit.key == "title" else None,
                validators=[validate_body_size],
            )

    def clean(self):
        """A unit whose translation drops a link or breaks a list is refused, with the
        reason (services.translation_save checks it too)."""
        cleaned = super().clean()
        for unit in self.status.units:
            text = translation_units.one_paragraph(cleaned.get(unit.key) or "")
            problem = translation_units.markup_problem(unit.key, unit.source, text)
            if problem:
                self.add_error(unit.key, problem)
                # Said at the top of the form too, naming the unit.
                label = translation_units.unit_label(unit.key, unit.source)
                self.add_error(None, f"{label}: {problem}")
        return cleaned

    def rows(self):
        return [
            {
                "unit": unit,
                "label": translation_units.unit_label(unit.key, unit.source),
                "field": self[unit.key],
                "source_html": source_html(unit),
                "diff": diff_html(unit.translated_from, unit.source) if unit.outdated else "",
                "draft": self.drafts.get(unit.key),
                "proofread": unit.key in self.proofreads,
                "public": unit.text if unit.translated else "",
                "memory": self.memory.get(unit.key, []),
                "glossary": self.glossary.get(unit.key, []),
            }
            for unit in self.status.units
        ]
