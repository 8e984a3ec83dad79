"""Fragments are kept under the content they were made from: the same parts read what was
kept, other parts compute anew, and a batch computes only what is missing."""

from strategy import fragments


def test_kept_computes_once_for_the_same_parts_and_again_for_others():
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert fragments.kept("row", (1, 7, "en"), compute) == "value 1"
    assert fragments.kept("row", (1, 7, "en"), compute) == "value 1"
    assert fragments.kept("row", (1, 8, "en"), compute) == "value 2"
    assert fragments.kept("row", (1, 7, "de"), compute) == "value 3"
    assert fragments.kept("other", (1, 7, "en"), compute) == "value 4"


def test_kept_many_computes_only_the_missing_items_in_one_call():
    asked = []

    def compute(items):
        asked.append(sorted(items))
        return {item: f"row {item}" for item in items}

    assert fragments.kept_many("row", {1: (1, "a"), 2: (2, "a")}, compute) == {
        1: "row 1",
        2: "row 2",
    }
    found = fragments.kept_many("row", {1: (1, "a"), 2: (2, "b"), 3: (3, "a")}, compute)
    assert found == {1: "row 1", 2: "row 2", 3: "row 3"}
    assert asked == [[1, 2], [2, 3]]


def test_forget_drops_everything_kept():
    fragments.kept("row", (1,), lambda: "first")
    fragments.forget()
    assert fragments.kept("row", (1,), lambda: "second") == "second"


def test_a_value_kept_under_models_is_computed_again_once_one_of_them_changes(
    db, django_capture_on_commit_callbacks
):
    """Kept under the models' generations: a save of any row of one of them, once its
    transaction commits, makes the next read compute anew."""
    from groups.models import ThematicArea
    from strategy import generations

    generations.connect(["groups.ThematicArea"])
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert fragments.kept("areas", ("en",), compute, models=["groups.ThematicArea"]) == 1
    assert fragments.kept("areas", ("en",), compute, models=["groups.ThematicArea"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        ThematicArea.objects.create(name="Roles", slug="roles")
    assert fragments.kept("areas", ("en",), compute, models=["groups.ThematicArea"]) == 2
    found = fragments.kept_many(
        "areas", {1: (1,)}, lambda items: dict.fromkeys(items, "x"), models=["groups.ThematicArea"]
    )
    assert found == {1: "x"}


def test_a_value_kept_under_models_is_renewed_after_a_while_and_not_kept_without_redis(
    monkeypatch,
):
    """A lost move of a generation keeps nothing stale past RENEWED_SECONDS; with no
    generation to read (Redis down), every read computes."""
    from strategy import generations

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    models = ["groups.ThematicArea"]
    assert fragments.kept("areas", (), compute, models) == 1
    now = fragments._clock()
    monkeypatch.setattr(fragments, "_clock", lambda: now + fragments.RENEWED_SECONDS + 1)
    assert fragments.kept("areas", (), compute, models) == 2
    assert fragments.kept("areas", (), compute, models) == 2
    monkeypatch.setattr(generations, "generations", lambda labels: dict.fromkeys(labels))
    assert fragments.kept("areas", (), compute, models) == 3
    assert fragments.kept("areas", (), compute, models) == 4
    assert fragments.kept_many("areas", {1: ()}, lambda items: {1: "computed"}, models) == {
        1: "computed"
    }


def test_a_request_reads_every_generation_once_until_a_change_moves_one(
    db, django_capture_on_commit_callbacks
):
    """Within a request the generations of every connected model come from one Redis read;
    a change committed in the request makes the next ask read them again."""
    from django.core.cache import cache

    from groups.models import ThematicArea
    from strategy import generations, memo

    generations.connect(["groups.ThematicArea", "groups.WorkingGroup"])
    reads = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append(sorted(keys))
        return get_many(keys, *args, **kwargs)

    cache.get_many = counted
    try:
        token = memo._memo.set({})
        try:
            first = generations.generations(["groups.ThematicArea"])
            generations.generations(["groups.WorkingGroup", "groups.ThematicArea"])
            assert len(reads) == 1
            assert generations.generation_key("groups.WorkingGroup") in reads[0]
            with django_capture_on_commit_callbacks(execute=True):
                ThematicArea.objects.create(name="Roles", slug="roles")
            assert generations.generations(["groups.ThematicArea"]) != first
            assert len(reads) == 2
        finally:
            memo._memo.reset(token)
        generations.generations(["groups.ThematicArea"])
        assert reads[-1] == [generations.generation_key("groups.ThematicArea")]
    finally:
        cache.get_many = get_many
