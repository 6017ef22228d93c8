"""One module per group of commands; each exposes `register(app)` and stays thin over `tools/`."""
