"""The PDF font has every letter the programme's names need, in all four faces."""

from reportlab.pdfbase import pdfmetrics

from rpsee.reports import pdf_fonts

NAMES = "Türkiye Podgorica Kosovo* Đorđević Čačak Ćuprija Šabac Žabljak đ č ć š ž"


def test_every_face_has_the_letters_of_the_names():
    family = pdf_fonts.register()
    assert family == "DejaVuSans"
    for face in (pdf_fonts.FAMILY, pdf_fonts.BOLD, pdf_fonts.ITALIC, pdf_fonts.BOLD_ITALIC):
        font = pdfmetrics.getFont(face)
        missing = [ch for ch in set(NAMES) if ch != " " and ord(ch) not in font.face.charWidths]
        assert missing == [], (face, missing)


def test_register_is_idempotent_and_bold_maps_to_the_bold_face():
    from reportlab.lib.fonts import tt2ps

    pdf_fonts.register()
    pdf_fonts.register()
    assert tt2ps(pdf_fonts.FAMILY, 1, 0) == pdf_fonts.BOLD
    assert tt2ps(pdf_fonts.FAMILY, 1, 1) == pdf_fonts.BOLD_ITALIC
