"""Configuration: an explicit value, then the environment (or `.env`), then a default.

Every variable is listed, commented, in `.env.example`. User state (the index, the conversations)
lives under one directory, `COMMISSION_HOME`, so tests point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path.home() / ".commission"


class Settings(BaseSettings):
    """Everything the assistant reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="COMMISSION_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    home: Path = Field(default_factory=_default_home, description="Where the index and conversations live.")

    # The language model: any OpenAI-compatible chat-completions endpoint, or Azure OpenAI.
    llm_provider: Literal["openai", "azure"] = "openai"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_api_version: str = "2024-10-21"  # Azure only
    llm_connect_timeout: float = 10.0
    llm_first_token_timeout: float = 60.0
    llm_max_retries: int = 3
    llm_temperature: float = 0.1
    agent_max_tool_rounds: int = 6

    # A shared team index on a Chroma server instead of the on-disk store.
    chroma_url: str | None = None

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def conversations_dir(self) -> Path:
        return self.home / "conversations"

    @property
    def model_configured(self) -> bool:
        return bool(self.llm_base_url)


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit values taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]
