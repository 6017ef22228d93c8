"""What the MCP server offers besides its tools: the papers as resources, the officer's jobs as prompts.

Each indexed paper is a resource, `commission://papers/{file}`: its citation details and, for a bundled
paper, its text. A search result links to the papers its passages come from. The prompts walk a host's
model through the tools for the officer's three jobs (ask the papers, draft a statement of intent, check
a timeline); their arguments complete from the route ids, regimes, buyer and service types the tools know.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import anyio
from mcp import types
from mcp.server import ServerRequestContext

from tools.errors import CommissionError

if TYPE_CHECKING:
    from assistant.retrieval.papers import PaperInfo

PAPERS = "commission://papers/"
PAPER_TEMPLATE = PAPERS + "{file}"


def handlers(index: Any) -> dict[str, Any]:
    """The `Server` handlers for resources, prompts and completions; `index` loads the paper index."""

    async def list_resources(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        await index.load(ctx)
        found = await anyio.to_thread.run_sync(papers)
        return types.ListResourcesResult(resources=[paper_resource(info) for info in found])

    async def list_templates(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        template = types.ResourceTemplate(
            name="paper",
            title="A commissioning paper",
            uri_template=PAPER_TEMPLATE,
            description="An indexed paper by file name: its citation details and text.",
            mime_type="text/markdown",
        )
        return types.ListResourceTemplatesResult(resource_templates=[template])

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        await index.load(ctx)
        text = await anyio.to_thread.run_sync(paper_text, str(params.uri))
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=str(params.uri), mime_type="text/markdown", text=text)]
        )

    async def list_prompts(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=[prompt.listing() for prompt in PROMPTS.values()])

    async def get_prompt(
        ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        prompt = PROMPTS.get(params.name)
        if prompt is None:
            raise ValueError(
                f"There is no prompt called {params.name!r}; the prompts are {', '.join(PROMPTS)}."
            )
        return prompt.render(params.arguments or {})

    async def complete(
        ctx: ServerRequestContext[Any], params: types.CompleteRequestParams
    ) -> types.CompleteResult:
        if isinstance(params.ref, types.ResourceTemplateReference):
            found = await anyio.to_thread.run_sync(papers)
            choices: Sequence[str] = [info.file for info in found]
        else:
            choices = CHOICES.get(params.argument.name, lambda: ())()
        matching = [value for value in choices if value.lower().startswith(params.argument.value.lower())]
        return types.CompleteResult(
            completion=types.Completion(
                values=matching[:100], total=len(matching), has_more=len(matching) > 100
            )
        )

    return {
        "on_list_resources": list_resources,
        "on_list_resource_templates": list_templates,
        "on_read_resource": read_resource,
        "on_list_prompts": list_prompts,
        "on_get_prompt": get_prompt,
        "on_completion": complete,
    }


def papers() -> list[PaperInfo]:
    """The indexed papers; the bundled ones, from their manifest, when there is no index yet."""
    from assistant.retrieval.papers import KNOWLEDGE_DIR, load_manifest
    from assistant.retrieval.search import get_retriever

    try:
        return get_retriever().papers()
    except CommissionError:
        return list(load_manifest(KNOWLEDGE_DIR).values())


def paper_resource(info: PaperInfo) -> types.Resource:
    return types.Resource(
        uri=PAPERS + quote(info.file),
        name=info.file,
        title=f"{info.name}, {info.date_label()}",
        description=info.title,
        mime_type="text/markdown",
    )


def paper_link(file: str, title: str) -> types.ResourceLink:
    """A link from a search result to the paper a passage comes from."""
    return types.ResourceLink(uri=PAPERS + quote(file), name=file, title=title, mime_type="text/markdown")


def paper_text(uri: str) -> str:
    """A paper's citation details and, for a bundled paper, its text, as Markdown.

    Raises:
        ValueError: `uri` names no indexed paper (a resource error for the client).
    """
    from assistant.retrieval.papers import KNOWLEDGE_DIR

    file = unquote(uri.removeprefix(PAPERS)) if uri.startswith(PAPERS) else None
    info = next((info for info in papers() if info.file == file), None)
    if info is None:
        raise ValueError(f"{uri}: is not an indexed paper; list the resources for the papers")
    details = [
        f"# {info.title}",
        "",
        f"- Short name: {info.name}",
        f"- Date: {info.date_label()}",
        f"- Organisations: {', '.join(info.organisations) or 'not recorded'}",
        f"- Body: {info.body or 'not recorded'}",
        f"- File: {info.file}",
        "",
    ]
    bundled = KNOWLEDGE_DIR / info.file
    if bundled.is_file() and bundled.parent == KNOWLEDGE_DIR:
        body = bundled.read_text(encoding="utf-8")
    else:
        body = f"The text is in the officer's own folder; search_papers with paper={info.file!r} quotes it."
    return "\n".join(details) + "\n" + body


def _routes() -> list[str]:
    from tools.timeline.rules import ROUTES

    return list(ROUTES)


def _regimes() -> list[str]:
    from tools.regimes import REGIMES

    return list(REGIMES)


def _buyers() -> list[str]:
    from tools.checklist.regime import BUYERS

    return list(BUYERS)


def _services() -> list[str]:
    from tools.checklist.regime import SERVICES

    return list(SERVICES)


CHOICES: dict[str, Callable[[], Sequence[str]]] = {
    "route": _routes,
    "regime": _regimes,
    "buyer": _buyers,
    "service": _services,
}


class Prompt:
    """One of the officer's jobs, as a prompt that walks a host's model through the tools."""

    def __init__(self, name: str, title: str, description: str, arguments: dict[str, str], text: str) -> None:
        self.name, self.title, self.description = name, title, description
        self.arguments = arguments  # name -> description; the first is required
        self.text = text

    def listing(self) -> types.Prompt:
        arguments = [
            types.PromptArgument(name=name, description=description, required=index == 0)
            for index, (name, description) in enumerate(self.arguments.items())
        ]
        return types.Prompt(
            name=self.name, title=self.title, description=self.description, arguments=arguments
        )

    def render(self, given: dict[str, str]) -> types.GetPromptResult:
        first = next(iter(self.arguments))
        if not str(given.get(first, "")).strip():
            raise ValueError(f"{self.name}: give {first} ({self.arguments[first]})")
        unknown = set(given) - set(self.arguments)
        if unknown:
            raise ValueError(f"{self.name}: unknown arguments {', '.join(sorted(unknown))}")
        facts = "\n".join(f"- {name}: {value}" for name, value in given.items() if str(value).strip())
        message = types.PromptMessage(
            role="user", content=types.TextContent(text=f"{self.text}\n\nWhat the officer gave:\n{facts}")
        )
        return types.GetPromptResult(description=self.description, messages=[message])


PROMPTS = {
    prompt.name: prompt
    for prompt in (
        Prompt(
            "ask_the_papers",
            "Ask the commissioning papers",
            "Answer a question from the commissioning papers, quoting and citing the passages.",
            {
                "question": "what the officer wants to know",
                "organisation": "only papers from this organisation, e.g. Calderdale",
            },
            "Answer the officer's question from the commissioning papers. Call search_papers with the "
            "question in the papers' own terms (and organisation, if given); search again with other words "
            "if the passages do not answer it. Quote the passages you rely on and give each one's citation "
            "label. Say plainly when the papers do not answer the question; never cite what a passage does "
            "not say.",
        ),
        Prompt(
            "draft_statement_of_intent",
            "Draft a statement of intent",
            "Draft a statement of intent inviting providers to collaborate, from the officer's facts only.",
            {
                "description": "what is being commissioned, in the officer's words",
                "buyer": "nhs, nhs-trust, council or joint",
                "service": "health, social-care or other",
                "route": "the procurement route id, if chosen (see list_routes)",
                "regime": "the regime, if known: pcr2015, pa2023, psr2023 ...",
            },
            "Help the officer draft a statement of intent. First check the regime with which_regime (and "
            "psr_route for NHS health care services); if the officer has figures, compute_envelope; if there"
            " is a go-live date, plan_timeline. Then call draft_statement_of_intent, passing the envelope "
            "and timeline JSON those tools returned exactly as returned, and only facts the officer gave. "
            "List the gaps the draft reports and ask the officer about them; never fill a field with a "
            "guess.",
        ),
        Prompt(
            "check_a_timeline",
            "Check a procurement timeline",
            "Check a proposed procurement timetable against its route's stages and the law.",
            {
                "timeline": "the timetable: a Markdown table, CSV or YAML list of stages and dates",
                "route": "the route id, if known (see list_routes)",
                "regime": "the regime, if known",
            },
            "Check the officer's procurement timeline. If the route is unknown, call list_routes and choose "
            "the one that fits (or leave it to check_timeline to infer). Call check_timeline with the "
            "timeline as given. Report each error and warning with its stage, the rule and its source, and "
            "the suggested fix; offer plan_timeline for a compliant timetable.",
        ),
    )
}
