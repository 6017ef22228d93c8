"""`commission` with a slow scripted model in place of the configured one, for the pseudo-terminal tests.

Test-only: it lives in `tests/`, which is not installed, and is run as `python -m tests.scripted_chat chat`,
so no setting or environment variable can make the shipped `commission` use a fake model.
"""

from __future__ import annotations

import os
import sys

from assistant import agent, registry
from assistant.toolspec import spec_for
from tests.fake_model import call, scripted
from tests.test_agent import add_weeks


def main() -> None:
    os.environ["COMMISSION_LLM_BASE_URL"] = "http://127.0.0.1:9/v1"  # configured, but never called
    os.environ["COMMISSION_LLM_MODEL"] = "scripted"
    words = " ".join(f"word{n}" for n in range(300))
    model = scripted(
        f"Here is a long answer: {words}",
        call("add_weeks", {"weeks": 2}),
        "The second answer: 14 days.",
        delay=0.05,
    )
    agent.load_model = lambda settings: model
    registry.all_specs = lambda: (spec_for(add_weeks),)  # type: ignore[assignment]
    from assistant.cli import app

    app(args=sys.argv[1:], prog_name="commission")


if __name__ == "__main__":
    main()
