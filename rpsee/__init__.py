"""RPSEE Planner: UNODC Regional Programme for South-Eastern Europe 2024-2029."""

__version__ = "0.1.0"
