"""Pipeline totals tables: short status labels explained in a note, Total the sum of the rows."""

from decimal import Decimal as D

from rpsee.domain.pipeline import Earmark, Tranche
from rpsee.domain.pipeline_tables import counted_three_ways, status_note, totals_by_status

YEARS = (2026, 2027)
TRANCHES = [Tranche(1, "EU", "A", 2026, D("100.10"), "hard", D(100), Earmark("none"), D(7)),
            Tranche(2, "SWE", "B", 2026, D("50.05"), "soft", D(60), Earmark("none"), D(13)),
            Tranche(2, "SWE", "B", 2027, D("20.00"), "prospect", D(25), Earmark("none"),
                    D(13))]  # fmt: skip


def test_status_rows_are_short_and_explained_below_the_table() -> None:
    table = totals_by_status(TRANCHES, YEARS, {}, set())
    labels = [r.cells[0] for r in table.body()]
    assert labels == ["Hard", "Soft", "Prospect", "Total"]
    assert all(len(label) <= 12 for label in labels)  # fits the 110 px label column
    assert any("Soft: pledged or in negotiation" in n for n in table.notes)
    assert status_note() == ("Hard: signed · Soft: pledged or in negotiation · "
                            "Prospect: identified, not yet pledged")


def test_the_total_row_is_the_sum_of_the_status_rows_to_the_cent() -> None:
    *rows, total = totals_by_status(TRANCHES, YEARS, {}, set()).body()
    for i in range(1, len(YEARS) + 2):
        assert total.cells[i] == sum((r.cells[i] for r in rows), D(0))
    assert total.cells[1:] == (D("150.15"), D("20.00"), D("170.15"))


def test_counted_three_ways_labels_fit_the_label_column() -> None:
    table = counted_three_ways(TRANCHES, YEARS, {}, set())
    labels = [r.cells[0] for r in table.body()]
    assert labels == ["Hard only", "Hard + soft", "Weighted"]
    assert table.body()[2].cells[1] == D("130.13")  # 100.10 + 60% of 50.05 (30.03)



def test_contribution_amounts_come_right_after_donor_and_status() -> None:
    """The long reference text after the money: at 1280 px the USD by year is seen without
    scrolling sideways (before, six text columns pushed every amount out of view)."""
    from rpsee.domain.pipeline import Contribution
    from rpsee.domain.pipeline_tables import contributions_currency, contributions_usd
    from rpsee.store.data_files import load_reference

    eu = Contribution(1, "EU", "EU IPA regional action", "USD", {2026: D("100.10")}, "hard",
                      Earmark("none"))  # fmt: skip
    usd = contributions_usd([eu], TRANCHES[:1], YEARS, {}, {"hard": D(100)}, load_reference(),
                            {}, {"EU": "European Union"})  # fmt: skip
    names = [c.name for c in usd.columns]
    assert names[:5] == ["Donor", "Status", "2026 USD", "2027 USD", "Cycle USD"]
    first = usd.body()[0]
    assert first.cells[:5] == ("European Union", "Hard", D("100.10"), None, D("100.10"))
    assert first.cells[names.index("Reference")] == "EU IPA regional action"
    assert first.cells[names.index("Earmark")] == "Not earmarked"
    currency = contributions_currency([eu], YEARS, {"EU": "European Union"})
    assert [c.name for c in currency.columns] == ["Donor", "2026", "2027", "Cycle", "Currency",
                                                  "Reference"]  # fmt: skip


def test_the_contributions_table_says_what_a_global_programme_pays() -> None:
    from rpsee.domain.pipeline import Contribution
    from rpsee.domain.pipeline_tables import contributions_usd, serves_note
    from rpsee.store.data_files import load_reference

    ref = load_reference()
    gpml = Contribution(1, "DEU", "GPML segment", "USD", {2026: D("1000.00")}, "hard",
                        Earmark("global_programme", "GPML"))  # fmt: skip
    plain = Contribution(2, "SWE", "Core", "USD", {2026: D("10.00")}, "hard")
    serves = {"GPML": ("2.6",), "GPAC": ("3",)}
    note = serves_note([gpml, plain], ref, serves)
    assert note is not None and note.endswith("GP GPML: Output 2.6.")  # only those named
    assert serves_note([plain], ref, serves) is None
    tranches = [Tranche(c.id, c.donor, c.reference, 2026, c.tranches[2026], "hard", D(100),
                        c.earmark, D(13)) for c in (gpml, plain)]  # fmt: skip
    table = contributions_usd([gpml, plain], tranches, (2026,), {}, {"hard": D(100)}, ref,
                              {"GPML": "Money laundering"}, {}, serves)  # fmt: skip
    assert note in table.notes
    gpac = Contribution(3, "DEU", "GPAC", "USD", {2026: D("1.00")}, "hard",
                        Earmark("global_programme", "GPAC"))  # fmt: skip
    assert "GP GPAC: area 3. Anti-Corruption" in (serves_note([gpac], ref, serves) or "")
