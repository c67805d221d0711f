"""Headway: the school-improvement cycle for labor–management–community teams."""

__version__ = "0.1.0"
