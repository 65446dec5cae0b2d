"""Pure domain logic: no Streamlit, no SQLAlchemy. Everything a number depends on is computed here."""
