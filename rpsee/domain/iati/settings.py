"""The publishing settings (data/iati.yaml, with data/dac_sectors.yaml) read and checked:
an unknown jurisdiction, donor, output or sector code, or sector shares not adding to 100, is
refused naming the entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from rpsee.domain.reference import ProgrammeReference

HUNDRED = Decimal(100)
DEFAULT_KEYS = ("collaboration_type", "flow_type", "finance_type", "aid_type", "tied_status")


class IatiSettingsError(ValueError):
    """data/iati.yaml is wrong; the message names the entry."""


@dataclass(frozen=True)
class IatiSettings:
    org_ref: str
    org_type: str
    org_name: str
    programme_code: str
    title: str
    countries: Mapping[str, str]  # jurisdiction code -> ISO 3166 alpha-2
    donor_types: Mapping[str, str]  # donor code -> OrganisationType
    defaults: Mapping[str, str]
    sectors: Mapping[str, Mapping[str, Decimal]]  # output -> DAC code -> percent of its money

    @property
    def parent_id(self) -> str:
        return f"{self.org_ref}-{self.programme_code}"

    def area_id(self, area: str) -> str:
        return f"{self.parent_id}-{area}"


def _code(value: object, where: str) -> str:
    text = str(value).strip() if value is not None else ""
    if not text or any(c.isspace() for c in text):
        raise IatiSettingsError(f"{where}: {value!r} must be a code without spaces")
    return text


def _sectors(doc: Mapping[Any, Any], known: Mapping[str, Any], outputs: set[str]
             ) -> dict[str, dict[str, Decimal]]:  # fmt: skip
    found: dict[str, dict[str, Decimal]] = {}
    for output, shares in (doc or {}).items():
        output = str(output)
        if output not in outputs:
            raise IatiSettingsError(f"sectors: {output!r} is not an output of the programme")
        parts: dict[str, Decimal] = {}
        for code, share in (shares or {}).items():
            code = str(code)
            item = known.get(code)
            if item is None or item.get("status") != "active":
                what = "withdrawn" if item else "not a DAC 5-digit purpose code"
                raise IatiSettingsError(f"sectors, output {output}: {code!r} is {what}")
            try:
                parts[code] = Decimal(str(share))
            except InvalidOperation:
                raise IatiSettingsError(f"sectors, output {output}, {code}: {share!r} is not a "
                                        "number") from None  # fmt: skip
            if not parts[code].is_finite() or parts[code] <= 0:
                raise IatiSettingsError(f"sectors, output {output}, {code}: {share!r} must be "
                                        "a percentage above 0")  # fmt: skip
        if sum(parts.values(), Decimal(0)) != HUNDRED:
            raise IatiSettingsError(f"sectors, output {output}: the shares add up to "
                                    f"{sum(parts.values(), Decimal(0))}, not 100")  # fmt: skip
        found[output] = parts
    missing = sorted(outputs - set(found))
    if missing:
        raise IatiSettingsError(f"sectors: no sector given for output(s) {', '.join(missing)}")
    return found


def load_settings(doc: Mapping[str, Any], sectors_doc: Mapping[str, Any],
                  ref: ProgrammeReference) -> IatiSettings:  # fmt: skip
    """The settings, checked against the programme's reference data."""
    org = doc.get("reporting_org") or {}
    places = {j.code for j in ref.jurisdictions if not j.regional}
    countries = {str(k): _code(v, f"countries, {k}") for k, v in (doc.get("countries") or
                                                                   {}).items()}  # fmt: skip
    missing, other = sorted(places - set(countries)), sorted(set(countries) - places)
    if missing or other:
        said = ([f"{', '.join(missing)} missing"] if missing else []) + (
            [f"{', '.join(other)} not a jurisdiction of the programme"] if other else [])
        raise IatiSettingsError(f"countries: {'; '.join(said)} (give every jurisdiction: "
                                f"{', '.join(sorted(places))})")  # fmt: skip
    donors = {d.code for d in ref.donors}
    types = {str(k): _code(v, f"donor_types, {k}") for k, v in (doc.get("donor_types") or
                                                                 {}).items()}  # fmt: skip
    unknown = sorted(set(types) - donors)
    if unknown:
        raise IatiSettingsError(f"donor_types: {', '.join(unknown)} not donors of the programme")
    missing = sorted(donors - set(types))
    if missing:
        raise IatiSettingsError(f"donor_types: no organisation type for {', '.join(missing)}")
    defaults = {k: _code((doc.get("defaults") or {}).get(k), f"defaults, {k}")
                for k in DEFAULT_KEYS}  # fmt: skip
    outputs = {o.code for o in ref.outputs}
    return IatiSettings(_code(org.get("ref"), "reporting_org, ref"),
                        _code(org.get("type"), "reporting_org, type"),
                        str(org.get("name") or "").strip(),
                        _code(doc.get("programme_code"), "programme_code"),
                        str(doc.get("title") or "").strip(), countries, types, defaults,
                        _sectors(doc.get("sectors"), sectors_doc.get("sectors") or {}, outputs))
