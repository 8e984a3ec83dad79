from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

ERROR = {
    "application/json": {
        "schema": {"type": "object", "additionalProperties": True},
    }
}


class AutoSchema(BaseAutoSchema):
    """Every operation declares the errors it can answer with: 400 for a parameter that is
    not valid, 404 for an object that does not exist (or is not published)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        responses.setdefault("400", {"description": "A parameter is not valid.", "content": ERROR})
        if self.view.action == "retrieve":
            responses.setdefault("404", {"description": "Not found.", "content": ERROR})
        return responses
