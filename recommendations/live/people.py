"""Who is in a draft's live room: its group on the channel layer, and how people appear
in it (their name, and a colour of their own for their cursor and selection). Imports
nothing, so that the settings and the services may name it."""

# Readable on white and told apart from one another.
COLOURS = ("#1f6feb", "#b35900", "#1a7f37", "#a40e26", "#6e40c9", "#0a6b74", "#9a6700")


def person_colour(user) -> str:
    return COLOURS[user.pk % len(COLOURS)]


def live_style_attributes() -> list[str]:
    """The inline style attributes the editor's remote cursors and selections set
    (y-codemirror.next): the caret in a person's colour, a selection in its light form.
    The colours are these few, so the Content-Security-Policy can allow exactly these
    attributes by their hashes instead of any inline style."""
    styles = []
    for colour in COLOURS:
        styles.append(f"background-color: {colour}; border-color: {colour}")
        styles.append(f"background-color: {colour}33")
    return styles


def room_group(recommendation_id: int) -> str:
    """The channel layer's group of everyone in the draft's room, in every process."""
    return f"live-draft-{recommendation_id}"


def working_group_group(working_group_id: int) -> str:
    """The channel layer's group of everyone in a live room of one working group's drafts:
    told when the group's memberships change (notify.py)."""
    return f"live-working-group-{working_group_id}"
