from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from recommendations.predicates import has_published_version
from recommendations.selectors.reading import public_title as _public_title
from recommendations.selectors.translations import recommendation_languages, translator_languages
from recommendations.text.markdown import render_markdown
from recommendations.text.mentions import render_comment

register = template.Library()


@register.filter
def markdown(value: str):
    """Markdown rendered and sanitised (see recommendations/text/markdown.py)."""
    return render_markdown(value)


@register.filter
def comment_markdown(value: str):
    """A comment rendered and sanitised, its @mentions marked (text/mentions.py)."""
    return render_comment(value)


@register.filter
def public_title(recommendation) -> str:
    """The title the public reads: the published version's, never the working copy's."""
    return _public_title(recommendation)


@register.inclusion_tag("recommendations/translations/translate_links.html", takes_context=True)
def translate_links(context, recommendation=None, group=None, iteration=None):
    """The translators' way in, for translators only (of their languages; the core team,
    every one): on a recommendation, the translation form in each language (if it is
    published); on a group or an iteration, the translators' home listing what waits in
    it (on an iteration, also its whole set in one file, per language); anywhere else,
    the home."""
    request = context.get("request")
    user = getattr(request, "user", None)
    languages = translator_languages(user=user) if user is not None else []
    if not languages:
        return {"links": [], "files": [], "home": ""}
    names = dict(settings.LANGUAGES)
    home = reverse("translations:table")
    if recommendation is not None:
        if not has_published_version(user, recommendation):
            return {"links": [], "files": [], "home": ""}
        # Beside each link, how far the language is: translated, stale, waiting for
        # proofreading (two queries, however many languages).
        progress = recommendation_languages(recommendation=recommendation, languages=languages)
        links = [
            (
                state.language,
                names[state.language],
                reverse("translations:edit", args=[recommendation.pk, state.language]),
                state,
            )
            for state in progress
        ]
        return {"links": links, "files": [], "home": home}
    query = {}
    if group is not None:
        query["group"] = group.slug
    files = []
    if iteration is not None:
        query["iteration"] = iteration.slug
        # The whole set in one file, per language.
        files = [
            (
                code,
                names[code],
                reverse("translations:iteration_files", args=[iteration.slug, code]),
            )
            for code in languages
        ]
    return {
        "links": [],
        "files": files,
        "home": f"{home}?{urlencode(query)}" if query else home,
    }
