"""Lookup engines: one interface (:mod:`.base`), two implementations chosen by the
settings (Elasticsearch in :mod:`.elastic`, an embedded SQLite FTS5 index in
:mod:`.embedded`), shared text analysis (:mod:`.analysis`), query understanding
(:mod:`.query`) and indexing on commit (:mod:`.indexing`). See docs/lookup-engines.md."""
