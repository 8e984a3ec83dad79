"""axe-core in a page: the serious and critical accessibility violations it finds."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, context=None):
    """(rule, impact, elements) of each serious or critical violation in `page`, or only in
    the part of it that the CSS selector `context` names."""
    # Evaluated by the browser's debugger, not as a <script> element: the site's
    # Content-Security-Policy refuses inline scripts, as it should.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "(context) => axe.run(context || document, {resultTypes: ['violations']})", context
    )
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
