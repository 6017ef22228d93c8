"""The knowledge base: the bundled papers and an officer's own, searchable with citations.

Modules: `lines` and `chunking` cut a paper along its structure; `papers` holds what a citation says;
`embeddings` runs the bundled MiniLM model; `store` keeps index generations on disk or on a Chroma
server; `indexer` builds them; `artefacts` the per-generation files a search memory-maps (vectors, BM25,
passages); `search` is the hybrid retriever (with `glossary.yaml` for keyword search); `passages` the
results; `highlight` the matching words and sentences; `tool` the agent-facing `search_papers`.
Nothing heavy is imported here, so importing the package is free.
"""
