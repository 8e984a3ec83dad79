"""`{% kept %}`: a part of a template rendered once and kept (strategy/fragments.py), for
what is the same for everyone who sees it.

    {% kept "home-latest" models="recommendations.Version groups.WorkingGroup" %}
      ...
    {% endkept %}

    {% kept "recommendation-text" version.pk version.revision_id %}...{% endkept %}

The key is the name, the language and time zone the part is rendered in, and the parts
given after the name (each resolved in the context: row ids and their stamps); with
`models` (app_label.ModelName, space-separated; each connected with generations.connect),
it is kept under their generations too. Everything else the part shows must be named
there: never put a form, a CSRF token or what differs per person inside one. The context
variables it reads may be lazy (SimpleLazyObject, a callable): while it is kept they are
never read.
"""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from strategy import fragments

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, parts, models):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.models = models

    def render(self, context):
        name = self.name.resolve(context)
        parts = (
            get_language(),
            timezone.get_current_timezone_name(),
            *(part.resolve(context) for part in self.parts),
        )
        models = self.models.resolve(context).split() if self.models is not None else ()
        # Rendered apart from the page's context: what it sets (a {% with %}, a cycle)
        # stays inside it, as when it is read back.
        with context.push():
            return fragments.kept(
                f"kept:{name}", parts, lambda: self.nodelist.render(context), models
            )


@register.tag
def kept(parser, token):
    """{% kept "name" [part ...] [models="app.Model ..."] %} ... {% endkept %}"""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% kept %} needs a name.")
    models = None
    parts = []
    for bit in bits[1:]:
        if bit.startswith("models="):
            models = parser.compile_filter(bit.removeprefix("models="))
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[0]), parts, models)
