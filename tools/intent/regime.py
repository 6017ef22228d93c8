"""Which procurement regime governs the statement on its date, from `tools.regimes` (the sourced data).

Health care services fall under the Provider Selection Regime from 1 January 2024 whoever buys them;
before that the 2013 regulations bound NHS buyers (CCGs, NHS England) only, with PCR 2015 governing the
contract as a light touch service. Social care and other services follow PCR 2015, then the Procurement
Act 2023; social care is a light touch service under both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tools.intent.schema import Buyer, Service
from tools.regimes import PSR_IN_FORCE, REGIMES, Regime, public_contracts_regime


@dataclass(frozen=True)
class RegimeFinding:
    regime: Regime
    reason: str

    def sentence(self) -> str:
        """`Provider Selection Regime (PSR), S.I. 2023/1348: reason.` with any unconfirmed label."""
        return f"{self.regime.name} ({self.regime.rule.citation()}): {self.reason}."


_LIGHT_TOUCH = "as a light touch service, with a procedure the commissioners design"


def regimes_on(start: date, buyer: Buyer, service: Service) -> list[RegimeFinding]:
    """The regimes governing a procurement that starts on `start`; empty when the data does not cover it."""
    if service == "health":
        findings = _health(start, buyer)
    else:
        regime = public_contracts_regime(start)
        reason = "the general regime for public contracts on this date"
        if service == "social-care":
            reason += f", {_LIGHT_TOUCH}"
        findings = [RegimeFinding(regime, reason)]
    return [finding for finding in findings if finding.regime.rule.applies_on(start)]


def _health(start: date, buyer: Buyer) -> list[RegimeFinding]:
    if start >= PSR_IN_FORCE:
        reason = "relevant health care services procured by NHS bodies and local authorities"
        return [RegimeFinding(REGIMES["psr2023"], reason)]
    findings = []
    if buyer in ("nhs", "joint"):
        reason = "NHS health care services procured by a CCG or NHS England; local authorities are not bound"
        findings.append(RegimeFinding(REGIMES["pccr2013"], reason))
    findings.append(RegimeFinding(public_contracts_regime(start), f"the contract itself, {_LIGHT_TOUCH}"))
    return findings
