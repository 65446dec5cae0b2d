"""Markers: the UN Gender Equality Marker, the OECD DAC gender and disability policy markers and
the SDG targets of every workplan activity, the checks that the plan backs them, and the shares
of budget and delivery by marker code."""
