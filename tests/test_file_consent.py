"""File access by consent: a tool argument names a file only inside the folders shared with the caller.

The officer's own terminal reads any path; another assistant (MCP, a LangChain agent given `allow_dirs`)
reads only inside its roots and `--allow-dir` folders, and every other path gets the same refusal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, types
from typer.testing import CliRunner

from assistant import registry
from assistant.cli import app
from assistant.mcp_server import build_server, configured_folders, file_uri_path
from assistant.toolkit import get_tools
from tools.checklist import check_monitor_questions
from tools.errors import InputError
from tools.file_access import allowed_folders, looks_like_path, shared_file

PAPER = """NHS Sheffield CCG Governing Body, 14 May 2015.
Question 1: the services will be procured from the provider best placed to deliver them.
"""
SECRET = "api_key = sk-live-0123456789"


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    shared = tmp_path / "shared"
    outside = tmp_path / "outside"
    (shared / "sub").mkdir(parents=True)
    outside.mkdir()
    (shared / "paper.txt").write_text(PAPER)
    (shared / "sub" / "answers.yaml").write_text("needs_assessment: The JSNA was refreshed in 2014.\n")
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.yaml").write_text("password: hunter2\n")
    (shared / "escape.txt").symlink_to(outside / "secret.txt")
    return {"shared": shared, "outside": outside}


def refused_paths(folders: dict[str, Path]) -> dict[str, str]:
    shared, outside = folders["shared"], folders["outside"]
    return {
        "outside": str(outside / "secret.txt"),
        "outside-yaml": str(outside / "secret.yaml"),
        "missing": str(shared / "no-such-paper.pdf"),
        "folder": str(shared / "sub"),
        "folder-outside": str(outside),
        "relative-escape": "../outside/secret.txt",
        "link-out": "escape.txt",
        "home": "~/.ssh/id_rsa",
        "system": "/etc/passwd",
    }


def test_the_officers_own_terminal_reads_any_path(folders):
    result = check_monitor_questions(str(folders["shared"] / "paper.txt"))
    assert result.source.endswith("paper.txt")


def test_inside_a_shared_folder_absolute_and_relative_paths_are_read(folders):
    with allowed_folders([folders["shared"]]):
        absolute = check_monitor_questions(str(folders["shared"] / "paper.txt"))
        relative = check_monitor_questions("paper.txt")
        answers = check_monitor_questions("sub/answers.yaml")
    assert absolute.source == relative.source == str((folders["shared"] / "paper.txt").resolve())
    assert answers.questions[0].status != "missing"


def test_every_other_path_gets_one_refusal_naming_the_shared_folders(folders):
    messages = set()
    with allowed_folders([folders["shared"]]):
        for path in refused_paths(folders).values():
            with pytest.raises(InputError) as refused:
                check_monitor_questions(path)
            messages.add(str(refused.value))
    (message,) = messages
    assert str(folders["shared"].resolve()) in message
    assert "hunter2" not in message and "sk-live" not in message and "password" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_gets_the_same_refusal(folders):
    locked = folders["shared"] / "locked.txt"
    locked.write_text(PAPER)
    locked.chmod(0)
    with allowed_folders([folders["shared"]]), pytest.raises(InputError) as refused:
        shared_file(str(locked), argument="paper")
    with allowed_folders([folders["shared"]]), pytest.raises(InputError) as missing:
        shared_file(str(folders["shared"] / "missing.txt"), argument="paper")
    assert str(refused.value) == str(missing.value)


def test_a_fifo_is_refused_like_a_missing_file(folders):
    fifo = folders["shared"] / "pipe.txt"
    os.mkfifo(fifo)
    with allowed_folders([folders["shared"]]), pytest.raises(InputError) as refused:
        shared_file(str(fifo), argument="paper")
    with allowed_folders([folders["shared"]]), pytest.raises(InputError) as missing:
        shared_file("missing.txt", argument="paper")
    assert str(refused.value) == str(missing.value)


def test_with_no_shared_folder_only_text_is_accepted(folders):
    with allowed_folders([]):
        with pytest.raises(InputError, match="no folder is shared with this server"):
            check_monitor_questions(str(folders["shared"] / "paper.txt"))
        assert check_monitor_questions(PAPER).source == "the paper's text"
        # words that are not written as a path are the paper's text, even if a file of that name exists
        assert check_monitor_questions("paper").source == "the paper's text"


@pytest.mark.parametrize(
    ("text", "is_path"),
    [
        ("/etc/passwd", True),
        ("~/notes", True),
        ("../up", True),
        ("C:\\Users\\me\\paper", True),
        ("sub/answers", True),
        ("The ICB agreed the approach on 3/4/2024.", False),
        ("needs assessment", False),
    ],
)
def test_what_is_written_as_a_path(text, is_path):
    assert looks_like_path(text) is is_path


def test_the_langchain_toolkit_takes_the_same_folders(folders):
    (tool,) = get_tools([registry.get_spec("check_monitor_questions")], allow_dirs=[folders["shared"]])
    call = {"type": "tool_call", "id": "t1", "name": tool.name}
    refused = tool.invoke({**call, "args": {"paper": str(folders["outside"] / "secret.txt")}})
    read = tool.invoke({**call, "args": {"paper": "paper.txt"}})
    assert refused.status == "error" and "sk-live" not in refused.content
    assert "names no readable file inside the folders shared" in refused.content
    assert read.status == "success"
    (unrestricted,) = get_tools([registry.get_spec("check_monitor_questions")])
    own = unrestricted.invoke({**call, "args": {"paper": str(folders["outside"] / "secret.txt")}})
    assert own.status == "success"


def call_with_roots(roots: list[Path], allow_dirs: list[Path], papers: list[str]) -> list[Any]:
    """`check_monitor_questions` for each paper, through an in-process server with these roots."""

    async def list_roots(context: Any) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=root.as_uri()) for root in roots])

    async def session() -> list[Any]:
        server = build_server(allow_dirs=allow_dirs)
        callback = list_roots if roots else None
        async with Client(server, list_roots_callback=callback) as client:
            return [await client.call_tool("check_monitor_questions", {"paper": p}) for p in papers]

    return anyio.run(session)


def test_mcp_reads_inside_the_clients_roots_and_refuses_the_rest_identically(folders):
    refused = list(refused_paths(folders).values())
    results = call_with_roots([folders["shared"]], [], ["paper.txt", *refused])
    assert not results[0].is_error
    assert results[0].structured_content["source"] == str((folders["shared"] / "paper.txt").resolve())
    texts = {result.content[0].text for result in results[1:]}
    assert all(result.is_error for result in results[1:])
    (text,) = texts
    assert str(folders["shared"].resolve()) in text


def test_mcp_reads_inside_allow_dirs_without_roots_and_nothing_with_neither(folders):
    paper = str(folders["shared"] / "paper.txt")
    [allowed] = call_with_roots([], [folders["shared"]], [paper])
    [refused] = call_with_roots([], [], [paper])
    assert not allowed.is_error
    assert refused.is_error and "no folder is shared with this server" in refused.content[0].text


def test_allow_dirs_come_from_the_option_then_the_environment(folders, monkeypatch):
    monkeypatch.setenv("COMMISSION_ALLOW_DIRS", os.pathsep.join([str(folders["outside"]), ""]))
    assert configured_folders([folders["shared"]]) == [folders["shared"], folders["outside"]]
    monkeypatch.setenv("COMMISSION_ALLOW_DIRS", str(folders["shared"] / "paper.txt"))
    with pytest.raises(InputError, match="is not a folder"):
        configured_folders()


def test_the_mcp_command_refuses_an_allow_dir_that_is_not_a_folder(tmp_path):
    result = CliRunner().invoke(app, ["mcp", "--allow-dir", str(tmp_path / "missing")])
    assert result.exit_code != 0
    assert "is not a folder" in result.output


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:///home/officer/papers", Path("/home/officer/papers")),
        ("file://localhost/srv/My%20Papers", Path("/srv/My Papers")),
        ("https://example.org/papers", None),
        ("file://fileserver/share", None),
    ],
)
def test_file_uris_become_paths(uri, path):
    assert file_uri_path(uri) == path
