"""The commented YAML starter `commission intent template` prints.

Every fact is left blank: drafted as it stands, it gives a draft of placeholders and the full list of gaps.
The guiding principles are filled in with the Southern Derbyshire defaults, for the officer to keep or change.
"""

from __future__ import annotations

from tools.intent.schema import DEFAULT_PRINCIPLES

_TEMPLATE = """\
# Statement of intent: the officer's facts. Draft it with
#   commission intent draft THIS-FILE.yaml --out statement.docx
# Anything left blank becomes a [To complete: ...] placeholder and is listed as a gap; nothing is invented.
# Dates as 2025-09-03 or 3 September 2025. Paths are relative to this file's folder.

kind: statement of intent          # or: statement of commissioner requirements (Sheffield's next step)
title:                             # default: "Statement of intent"
date:                              # date of issue; also the procurement start unless procurement.start is set

commissioners: []                  # e.g. [the ICB, the city council], as named in the statement
providers: []                      # the providers invited to respond
area:                              # the place covered
population:                        # e.g. 250000, or "about 250,000 people"

background: []                     # paragraphs: how we got here, the case for change, the papers it rests on
services_in_scope: []
services_out_of_scope: []          # or say that none are excluded
vision: []                         # paragraphs

# The Southern Derbyshire principles (Appendix 2 of its statement of intent): keep, edit or replace.
guiding_principles:
{principles}

key_characteristics: []            # each: {{title: Workforce, text: what we want to see, points: [..]}}

# Each impact: statements in words, and metrics with a baseline and a target (by and source optional).
impact_on_flows_and_pathways:
  statements: []
  metrics: []                      # each: {{name: .., baseline: .., target: .., by: .., source: ..}}
impact_on_peoples_experience:
  statements: []
  metrics: []
impact_on_cost_and_efficiency:
  statements: []
  metrics: []

envelope_file:                     # an envelope YAML (commission envelope template), or its JSON output
envelope_notes: []                 # paragraphs about the money the envelope does not say
timeline_file:                     # a YAML of the timeline to plan (route: psr-competitive,
                                   # start: 2026-09-01 or go_live:), or commission timeline plan's JSON
governance: []                     # paragraphs: who decides, how the parties meet, how progress is reported

response:
  asks: []                         # what providers are asked to set out in their response
  deadline:                        # the date responses are due
  send_to:                         # the person or mailbox responses go to

right_to_revert:                   # the condition, e.g. "if sufficient progress is not evident"

procurement:                       # decides the regime that applies on the date
  buyer:                           # nhs (ICB or NHS England), nhs-trust, council or joint
  service:                         # health, social-care or other
  start:                           # default: the date of issue above
"""


def template_yaml() -> str:
    """The commented YAML starter, with the default guiding principles written out."""
    principles = "\n".join(f'  - "{principle}"' for principle in DEFAULT_PRINCIPLES)
    return _TEMPLATE.format(principles=principles)
