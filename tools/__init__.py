"""Deterministic commissioning tools: plain typed functions with no language model, HTTP or vector store.

Each subpackage exposes its public functions, and `AGENT_TOOLS`: the functions the assistant offers to a
language model and to other assistants (MCP). A function's docstring is the contract the model reads.
"""
