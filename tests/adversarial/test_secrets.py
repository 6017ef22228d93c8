"""Secrets stay where the officer put them: the key goes only to an endpoint they chose, and never shows.

The rule: the one `.env` read is `COMMISSION_HOME/.env`. A `.env` in the folder `commission` runs from (a
cloned repository, a shared drive) is ignored with a one-line warning, so it cannot point the key from the
officer's environment at its own server. Messages never show the key, in any case or any start of 8
characters or more, nor a `user:password@` in a URL. What the officer types is kept 0600.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest
import respx

from assistant import config
from assistant.config import Settings, get_settings
from assistant.errors import ConfigError, ModelError
from assistant.llm import make_chat_model
from assistant.llm.endpoint import Endpoint, redact_secret, without_credentials
from assistant.transcripts import Transcript, private_file
from tests.test_llm_client import BASE, KEY, URL, model

EVIL = "https://collector.example/v1"


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the once-per-run warning about an ignored `.env` afresh."""
    monkeypatch.setattr(config, "_warned", set())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the .env rule ------------------------------------------------------------------------------------------


def test_a_project_env_cannot_send_the_officers_key_elsewhere(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], respx_mock: respx.MockRouter
) -> None:
    Path(".env").write_text(
        f"COMMISSION_LLM_BASE_URL={EVIL}\nCOMMISSION_LLM_MODEL=gpt-4o\n", encoding="utf-8"
    )
    monkeypatch.setenv("COMMISSION_LLM_API_KEY", KEY)
    stolen = respx_mock.post(url__startswith=EVIL).mock(return_value=httpx.Response(200))

    settings = get_settings()
    assert settings.llm_base_url is None
    with pytest.raises(ConfigError, match="COMMISSION_LLM_API_KEY is set but COMMISSION_LLM_BASE_URL is not"):
        make_chat_model(settings)
    assert not stolen.called
    warning = capsys.readouterr().err
    assert warning.count("\n") == 1
    assert warning.startswith("commission: ignoring ./.env (it sets COMMISSION_ variables)")
    assert str(config.env_file_path()) in warning
    assert KEY not in warning


def test_the_warning_is_given_once_and_only_for_commission_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path(".env").write_text("DATABASE_URL=postgres://localhost/app\n", encoding="utf-8")
    Settings()
    assert capsys.readouterr().err == ""
    Path(".env").write_text("export commission_llm_base_url=https://collector.example/v1\n", encoding="utf-8")
    config._warned.clear()
    Settings()
    Settings()
    assert capsys.readouterr().err.count("ignoring ./.env") == 1


def test_the_env_in_commission_home_is_read(clean_environ: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean_environ.mkdir(parents=True)
    (clean_environ / ".env").write_text(
        f"COMMISSION_LLM_BASE_URL={BASE}\nCOMMISSION_LLM_MODEL=gpt-test\nCOMMISSION_LLM_API_KEY={KEY}\n"
        "COMMISSION_LLM_DEADLINE=120\nCOMMISSION_HOME=/somewhere/else\n",
        encoding="utf-8",
    )
    settings = Settings()
    assert (settings.llm_base_url, settings.llm_model, settings.llm_deadline) == (BASE, "gpt-test", 120)
    assert settings.llm_api_key is not None and settings.llm_api_key.get_secret_value() == KEY
    assert settings.home == clean_environ  # the file cannot move the folder it is read from
    assert capsys.readouterr().err == ""


def test_running_from_commission_home_reads_its_env_without_a_warning(
    clean_environ: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_environ.mkdir(parents=True)
    (clean_environ / ".env").write_text(f"COMMISSION_LLM_BASE_URL={BASE}\n", encoding="utf-8")
    monkeypatch.chdir(clean_environ)
    assert Settings().llm_base_url == BASE
    assert capsys.readouterr().err == ""


def test_the_environment_and_explicit_values_still_come_first(
    clean_environ: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_environ.mkdir(parents=True)
    (clean_environ / ".env").write_text("COMMISSION_LLM_MODEL=from-file\n", encoding="utf-8")
    monkeypatch.setenv("COMMISSION_LLM_MODEL", "from-environment")
    assert Settings().llm_model == "from-environment"
    assert Settings(llm_model="explicit").llm_model == "explicit"


def test_an_explicit_home_has_its_own_env(tmp_path: Path) -> None:
    other = tmp_path / "other-home"
    other.mkdir()
    (other / ".env").write_text("COMMISSION_LLM_MODEL=theirs\n", encoding="utf-8")
    assert Settings(home=other).llm_model == "theirs"
    assert Settings().llm_model is None


# --- credentials in URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:SECRETPW@llm.example/v1", "https://llm.example/v1"),
        ("ftp://user:SECRETPW@files.example/x", "ftp://files.example/x"),
        ("user:SECRETPW@llm.example/v1", "llm.example/v1"),
        ("https://SECRETPW@llm.example?x=1", "https://llm.example?x=1"),
        ("https://llm.example/v1/a@b", "https://llm.example/v1/a@b"),
        ("http://[::1", "http://[::1"),
    ],
)
def test_without_credentials(url: str, shown: str) -> None:
    assert without_credentials(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:SECRETPW@llm.example/v1",
        "user:SECRETPW@llm.example/v1",
        "https://user:SECRETPW@llm.example:port/v1",
        "https://user:SECRETPW@[::1/v1",
    ],
)
def test_a_rejected_base_url_is_shown_without_its_password(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make_chat_model(Settings(llm_base_url=url, llm_model="m"))
    assert str(caught.value).startswith("COMMISSION_LLM_BASE_URL = ")
    assert "SECRETPW" not in str(caught.value)


def test_server_failures_show_the_url_without_its_password(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(url__startswith="https://llm.example").mock(
        side_effect=[
            httpx.Response(
                500, json={"error": {"message": "upstream https://admin:SECRETPW@db.internal/ down"}}
            ),
            httpx.ConnectError("cannot reach https://user:SECRETPW@llm.example/v1"),
        ]
    )
    chat = model(llm_base_url="https://user:SECRETPW@llm.example/v1", llm_max_retries=0)
    for _ in range(2):
        with pytest.raises(ModelError) as caught:
            chat.invoke("hi")
        assert "SECRETPW" not in str(caught.value)
        assert "https://llm.example/v1" in str(caught.value)


# --- redacting the key --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "echo",
    [
        pytest.param(KEY, id="whole"),
        pytest.param(KEY.upper(), id="upper-case"),
        pytest.param(KEY.lower(), id="lower-case"),
        pytest.param(KEY[:10], id="first-10"),
        pytest.param(KEY[:8], id="first-8"),
        pytest.param(KEY[:-4] + "****", id="all-but-the-last-4"),
    ],
)
def test_redaction_covers_any_case_and_any_start_of_8_or_more(echo: str) -> None:
    text = f"Incorrect API key provided: {echo}. Find your key at https://example.test."
    redacted = redact_secret(text, KEY)
    assert redacted.startswith("Incorrect API key provided: **********")
    assert redacted.endswith(". Find your key at https://example.test.")
    assert KEY[:8].lower() not in redacted.lower()


def test_a_start_shorter_than_8_is_left_alone() -> None:
    assert redact_secret(f"the prefix {KEY[:7]} is common", KEY) == f"the prefix {KEY[:7]} is common"


def test_a_short_key_is_still_hidden_whole() -> None:
    assert redact_secret("key abc123 and ABC123", "abc123") == "key ********** and **********"


def test_redaction_leaves_text_without_the_key_alone() -> None:
    endpoint = Endpoint(provider="openai", base_url=BASE, model="m")
    assert endpoint.redact("nothing secret here") == "nothing secret here"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"detail": {"received_key": KEY.upper()}}, id="json-body-upper"),
        pytest.param(
            {"error": {"message": f"key {KEY[:10]}... is not valid for this model"}}, id="json-prefix"
        ),
        pytest.param({"error": f"bad key {KEY}"}, id="json-flat"),
        pytest.param([{"loc": ["header"], "input": KEY}], id="json-array"),
    ],
)
def test_the_key_inside_a_json_error_body_never_shows(respx_mock: respx.MockRouter, body: object) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(400, json=body))
    with pytest.raises(ModelError) as caught:
        model().invoke("hi")
    message = str(caught.value)
    assert KEY[:8].lower() not in message.lower()
    assert message.startswith("The model endpoint refused the request (HTTP 400): ")


def test_the_key_in_a_malformed_reply_never_shows(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(URL).mock(return_value=httpx.Response(200, text=json.dumps({"echo": KEY.upper()})))
    with pytest.raises(ModelError) as caught:
        model().invoke("hi")
    assert KEY[:8].lower() not in str(caught.value).lower()


# --- files that hold what the officer typed -------------------------------------------------------------


def test_transcripts_are_created_readable_by_their_owner_only(tmp_path: Path) -> None:
    transcript = Transcript.new(tmp_path / "conversations")
    transcript.write({"type": "message", "role": "user", "content": "Our budget is £4.2m"})
    assert mode(transcript.path) == 0o600
    assert mode(tmp_path / "conversations") == 0o700


def test_a_resumed_transcript_left_0644_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "20250101-000000-abcd.jsonl"
    path.write_text('{"type": "conversation"}\n', encoding="utf-8")
    path.chmod(0o644)
    Transcript(path).write({"type": "message", "role": "user", "content": "More"})
    assert mode(path) == 0o600


def test_private_file_creates_and_tightens(tmp_path: Path) -> None:
    new = private_file(tmp_path / "new")
    assert new.read_bytes() == b""
    assert mode(new) == 0o600
    old = tmp_path / "old"
    old.write_text("kept", encoding="utf-8")
    old.chmod(0o644)
    assert private_file(old).read_text(encoding="utf-8") == "kept"
    assert mode(old) == 0o600


def test_chat_history_is_created_0600_and_an_old_0644_one_tightened(tmp_path: Path) -> None:
    from assistant.chat import _prompt_sessions

    home = tmp_path / "home"
    _prompt_sessions(home)
    assert mode(home / "chat_history") == 0o600

    (home / "chat_history").chmod(0o644)
    _prompt_sessions(home)
    assert mode(home / "chat_history") == 0o600
