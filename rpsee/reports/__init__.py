"""Files built from domain records (Excel now; the PDF pack later). No database access here."""
