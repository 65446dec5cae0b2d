"""Publishing the programme as an IATI 2.03 activity file: the settings (data/iati.yaml), the
activities built from the programme's own figures, and nothing the app does not hold."""
