"""The request's fixed cost in tokens: the system prompt and every tool's schema, as sent to the model.

Tokens are estimated as characters / 4 of the JSON sent (`assistant.llm.budget.tokens`), as the context
budget counts them; a real tokenizer gives somewhat fewer for English prose and more for JSON punctuation.
The whole tool list should stay under 2,500 tokens so a small 8k-context model has room for the papers.
"""

from __future__ import annotations

TOOLS_TARGET = 2500


def main() -> None:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from assistant.agent import system_prompt
    from assistant.llm.budget import tokens, tool_tokens
    from assistant.toolkit import get_tools

    sizes = {tool.name: tool_tokens(convert_to_openai_tool(tool)) for tool in get_tools()}
    print(f"  {'system prompt':<31} {tokens(system_prompt()):>6,} tokens")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  tool {name:<26} {size:>6,} tokens")
    total = sum(sizes.values())
    verdict = "within" if total <= TOOLS_TARGET else "OVER"
    print(f"  {'all tools':<31} {total:>6,} tokens  ({verdict} the {TOOLS_TARGET:,} target)")


if __name__ == "__main__":
    main()
