"""Where the model lives and how to call it, checked once from the settings.

An `Endpoint` is the validated, immutable form of the `COMMISSION_LLM_*` settings: the URL to post to, the
headers (with the key), and the model or Azure deployment. Every mistake found here is a `ConfigError` that
names the variable to fix; the API key is held as a `SecretStr`, so no repr or message ever shows it.

Secrets never reach a message: a URL is shown without any `user:password@` in it (`without_credentials`),
and anything a server sends back passes through `Endpoint.redact`, which blanks the key in any case and any
start of it 8 characters or longer (servers echo "sk-proj-abc…" or upper-case what they quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import httpx
from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import ConfigError

BASE_URL_VAR = "COMMISSION_LLM_BASE_URL"
API_KEY_VAR = "COMMISSION_LLM_API_KEY"
MODEL_VAR = "COMMISSION_LLM_MODEL"
PROVIDER_VAR = "COMMISSION_LLM_PROVIDER"
API_VERSION_VAR = "COMMISSION_LLM_API_VERSION"
DEADLINE_VAR = "COMMISSION_LLM_DEADLINE"

REDACTED = "**********"
SHORTEST_ECHO = 8
"""The shortest start of the key that is blanked wherever it appears; shorter ones say too little to hide."""

_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#@]*@")


@dataclass(frozen=True)
class Endpoint:
    """One chat-completions endpoint: an OpenAI-compatible server or an Azure OpenAI deployment."""

    provider: Literal["openai", "azure"]
    base_url: str
    model: str
    api_key: SecretStr | None = None
    api_version: str = "2024-10-21"

    @property
    def url(self) -> str:
        """The chat-completions URL (Azure: the deployment's, with the `api-version` query)."""
        if self.provider == "azure":
            return f"{self.base_url}/openai/deployments/{self.model}/chat/completions"
        return f"{self.base_url}/chat/completions"

    @property
    def params(self) -> dict[str, str]:
        return {"api-version": self.api_version} if self.provider == "azure" else {}

    @property
    def headers(self) -> dict[str, str]:
        if self.api_key is None:
            return {}
        key = self.api_key.get_secret_value()
        return {"api-key": key} if self.provider == "azure" else {"Authorization": f"Bearer {key}"}

    @property
    def shown_url(self) -> str:
        """The base URL for messages, without any user name or password written into it."""
        return without_credentials(self.base_url)

    @property
    def shown_request_url(self) -> str:
        """The chat-completions URL for messages, without credentials."""
        return without_credentials(self.url)

    def redact(self, text: str) -> str:
        """`text` with the API key and any credentials in URLs blanked, for anything a server sends back."""
        text = _URL_CREDENTIALS.sub(r"\1", text)
        if self.api_key is None or not self.api_key.get_secret_value():
            return text
        return redact_secret(text, self.api_key.get_secret_value())


def redact_secret(text: str, secret: str) -> str:
    """`text` with `secret` blanked wherever it appears in any case, whole or as a start of 8+ characters.

    Args:
        text: what a server sent back, about to be repeated.
        secret: the API key.
    """
    head = secret[:SHORTEST_ECHO]
    kept, position = [], 0
    for match in re.finditer(re.escape(head), text, re.IGNORECASE):
        if match.start() < position:  # already inside a longer echo
            continue
        end = match.end()
        while end - match.start() < len(secret) and text[end : end + 1].lower() == (
            secret[end - match.start()].lower()
        ):
            end += 1
        kept += [text[position : match.start()], REDACTED]
        position = end
    return "".join([*kept, text[position:]])


def without_credentials(url: str) -> str:
    """`url` without any `user:password@`, whether or not it is a valid URL, for showing in a message."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    authority, end, path = re.split(r"([/?#]|$)", rest, maxsplit=1)
    return f"{scheme}{separator}{authority.rpartition('@')[2]}{end}{path}"


def endpoint_from_settings(settings: Settings) -> Endpoint | None:
    """The endpoint the settings describe, or None when no model is configured (offline mode).

    Raises:
        ConfigError: a model setting is given but incomplete or malformed; the message names the variable.
    """
    key = settings.llm_api_key if settings.llm_api_key and settings.llm_api_key.get_secret_value() else None
    if not settings.llm_base_url:
        _refuse_half_configured(settings, has_key=key is not None)
        return None
    base_url = _checked_base_url(settings.llm_base_url, settings.llm_provider)
    if not settings.llm_model:
        what = "the Azure deployment name" if settings.llm_provider == "azure" else "the model name"
        raise ConfigError(f"{BASE_URL_VAR} is set but {MODEL_VAR} is not: set it to {what}")
    if settings.llm_provider == "azure" and key is None:
        raise ConfigError(
            f"Azure OpenAI needs an API key: set {API_KEY_VAR} to the key of your Azure resource"
        )
    if settings.llm_provider == "azure" and not settings.llm_api_version:
        raise ConfigError(
            f"Azure OpenAI needs an API version: set {API_VERSION_VAR} (for example 2024-10-21)"
        )
    _check_numbers(settings)
    return Endpoint(
        provider=settings.llm_provider,
        base_url=base_url,
        model=settings.llm_model,
        api_key=key,
        api_version=settings.llm_api_version,
    )


def _refuse_half_configured(settings: Settings, *, has_key: bool) -> None:
    # A model name, key or provider without a URL is a setup left half done, not a wish to be offline.
    given = [
        name
        for name, present in (
            (PROVIDER_VAR, "llm_provider" in settings.model_fields_set),
            (MODEL_VAR, bool(settings.llm_model)),
            (API_KEY_VAR, has_key),
        )
        if present
    ]
    if given:
        raise ConfigError(
            f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} set but {BASE_URL_VAR} is not: "
            "set it to your endpoint (e.g. https://api.openai.com/v1, or http://localhost:11434/v1 for "
            "Ollama), or remove the model settings to run offline"
        )


def _checked_base_url(value: str, provider: str) -> str:
    shown = without_credentials(value.strip())
    try:
        url = httpx.URL(value.strip())
    except httpx.InvalidURL as error:
        reason = _URL_CREDENTIALS.sub(r"\1", str(error)).replace(value.strip(), shown)
        raise ConfigError(f"{BASE_URL_VAR} = {shown!r} is not a URL ({reason})") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(
            f"{BASE_URL_VAR} = {shown!r} is not an http(s) URL: use e.g. https://api.openai.com/v1 "
            "or http://localhost:11434/v1"
        )
    # People paste the full operation URL, or the Azure endpoint with /openai; both mean the same server.
    base = str(url).rstrip("/").removesuffix("/chat/completions")
    return base.removesuffix("/openai") if provider == "azure" else base


def _check_numbers(settings: Settings) -> None:
    for var, value in (
        ("COMMISSION_LLM_CONNECT_TIMEOUT", settings.llm_connect_timeout),
        ("COMMISSION_LLM_FIRST_TOKEN_TIMEOUT", settings.llm_first_token_timeout),
        (DEADLINE_VAR, settings.llm_deadline),
    ):
        if value <= 0:
            raise ConfigError(f"{var} = {value} must be a number of seconds above 0")
    if settings.llm_max_retries < 0:
        raise ConfigError(f"COMMISSION_LLM_MAX_RETRIES = {settings.llm_max_retries} must be 0 or more")
