"""Pure domain logic: no Streamlit, no SQLAlchemy. Every figure is computed here."""
