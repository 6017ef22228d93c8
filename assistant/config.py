"""Configuration: an explicit value, then the environment, then `COMMISSION_HOME/.env`, then a default.

Every variable is listed, commented, in `.env.example`. User state (the index, the conversations)
lives under one directory, `COMMISSION_HOME`, so tests point it at a temporary folder.

The one `.env` read is the officer's own, in `COMMISSION_HOME` (`~/.commission/.env` unless the
environment moves it). A `.env` in the folder `commission` runs from is ignored, with a one-line warning
if it sets `COMMISSION_` variables: a folder cloned from elsewhere could otherwise set
`COMMISSION_LLM_BASE_URL` and have the API key from the officer's environment sent to a server of its
choosing. So the model endpoint and its key always come from places the officer controls.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

HOME_VAR = "COMMISSION_HOME"
_SETS_OURS = re.compile(r"^\s*(?:export\s+)?COMMISSION_\w*\s*=", re.IGNORECASE | re.MULTILINE)
_warned: set[Path] = set()  # each ignored .env is mentioned once per run, not once per Settings()


def _default_home() -> Path:
    return Path.home() / ".commission"


class Settings(BaseSettings):
    """Everything the assistant reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="COMMISSION_", env_file_encoding="utf-8", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Where the index and conversations live.")

    # The language model: any OpenAI-compatible chat-completions endpoint, or Azure OpenAI.
    llm_provider: Literal["openai", "azure"] = "openai"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_api_version: str = "2024-10-21"  # Azure only
    llm_connect_timeout: float = 10.0
    llm_first_token_timeout: float = 60.0
    llm_deadline: float = 300.0  # seconds for a whole reply, however steadily the server sends
    llm_max_retries: int = 3
    llm_temperature: float = 0.1
    llm_context: int | None = Field(default=None, ge=512)  # tokens; else asked of the server, else 8,192
    agent_max_tool_rounds: int = 6

    # A shared team index on a Chroma server instead of the on-disk store.
    chroma_url: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        explicit = (
            init_settings.init_kwargs.get("home") if isinstance(init_settings, InitSettingsSource) else None
        )
        env_file = env_file_path(explicit)
        _warn_if_local_env_ignored(env_file)
        officers = _HomeEnvFile(settings_cls, env_file=env_file, env_file_encoding="utf-8")
        return init_settings, env_settings, officers, file_secret_settings

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def conversations_dir(self) -> Path:
        return self.home / "conversations"

    @property
    def model_configured(self) -> bool:
        return bool(self.llm_base_url)


class _HomeEnvFile(DotEnvSettingsSource):
    """`COMMISSION_HOME/.env`, less any `COMMISSION_HOME` in it: the file cannot move the folder it is in."""

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        values.pop("home", None)
        return values


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit values taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]


def env_file_path(home: object = None) -> Path:
    """The one `.env` read: the one in `home` if given, else in the environment's `COMMISSION_HOME`."""
    where = home if home is not None else os.environ.get(HOME_VAR) or _default_home()
    return Path(str(where)).expanduser() / ".env"


def _warn_if_local_env_ignored(read: Path) -> None:
    local = Path(".env")
    try:
        if not local.is_file() or local.resolve() == read.resolve() or local.resolve() in _warned:
            return
        sets_ours = _SETS_OURS.search(local.read_text(encoding="utf-8", errors="replace")[:100_000])
    except OSError:
        return
    _warned.add(local.resolve())
    if sets_ours:
        print(
            f"commission: ignoring ./.env (it sets COMMISSION_ variables): settings are read from the "
            f"environment and {read} only, so a folder cannot redirect your API key; move yours there",
            file=sys.stderr,
        )
