"""The text machinery of recommendations, with no knowledge of who may read what: diffs and
merges (diffing, version_diffs), Markdown (markdown), passages that survive edits
(anchoring), translation units and their fingerprints (translation_units), and how numbers sort
(numbering). Field validators stay beside the models (recommendations/validators.py), where
the migrations name them."""
