"""Implementation review: what the programme achieved (indicator progress against the logframe)
and what it spent (delivery against the approved budget). A bounded context of its own, next to
workplans and the pipeline; pure Python like the rest of `rpsee.domain`."""
