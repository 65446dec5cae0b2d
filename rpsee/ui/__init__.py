"""Streamlit helpers shared by the pages: start-up, login, navigation, charts."""
