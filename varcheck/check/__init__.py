"""Hypothesis strategies and the evidence functions of the registered claims."""
